package io.logpipeline.operator.model.properties;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts what the examples of one property run were like, per label ("name length": "1-43",
 * "44-63", ...), so that the test can then check that the generators reached the cases the
 * property is about. A property calls {@link #collect} for each example; after the run the test
 * calls {@link #check}.
 */
final class Coverage {

  private final Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();

  /** Counts one example as {@code value} under {@code label}. */
  synchronized void collect(String label, String value) {
    counts.computeIfAbsent(label, l -> new TreeMap<>()).merge(value, 1, Integer::sum);
  }

  /** The share of examples (0..100) counted as {@code value} under {@code label}. */
  synchronized double percentage(String label, String value) {
    Map<String, Integer> values = counts.getOrDefault(label, Map.of());
    int total = values.values().stream().mapToInt(Integer::intValue).sum();
    return total == 0 ? 0 : 100.0 * values.getOrDefault(value, 0) / total;
  }

  /** Fails unless at least {@code minPercent} of the examples were {@code value} under {@code label}. */
  void check(String label, String value, double minPercent) {
    assertThat(percentage(label, value))
        .as("share of examples with %s '%s' (all counts: %s)", label, value, this)
        .isGreaterThanOrEqualTo(minPercent);
  }

  @Override
  public synchronized String toString() {
    return counts.toString();
  }
}
