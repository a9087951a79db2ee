package io.logpipeline.operator.model;

import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.LifecycleSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks of {@code spec.elasticsearch.lifecycle}: what ILM and ISM accept, and combinations that
 * would leave an index growing or kept forever.
 */
final class LifecycleRules {

  static final String FIELD = "spec.elasticsearch.lifecycle";
  /** A time value both ILM and ISM parse the same way (Elasticsearch's TimeValue units). */
  private static final Pattern DURATION = Pattern.compile("^([1-9][0-9]{0,8})(d|h|m|s)$");
  /** A byte size both ILM and ISM parse (Elasticsearch's ByteSizeValue units). */
  private static final Pattern SIZE = Pattern.compile("^[1-9][0-9]{0,8}(b|kb|mb|gb|tb|pb)$");

  private LifecycleRules() {}

  static List<SpecProblem> problems(ElasticsearchSpec es) {
    List<SpecProblem> problems = new ArrayList<>();
    LifecycleSpec lifecycle = es.getLifecycle();
    if (lifecycle == null) {
      return problems;
    }
    boolean dataStream = es.getTemplate() != null && es.getTemplate().isDataStream();
    String maxAge = lifecycle.getRolloverMaxAge();
    String maxSize = lifecycle.getRolloverMaxPrimaryShardSize();
    String deleteAfter = lifecycle.getDeleteAfter();
    duration(problems, FIELD + ".rolloverMaxAge", maxAge);
    duration(problems, FIELD + ".deleteAfter", deleteAfter);
    if (maxSize != null && !SIZE.matcher(maxSize).matches()) {
      problems.add(new SpecProblem(FIELD + ".rolloverMaxPrimaryShardSize", "'"
          + SpecRules.excerpt(maxSize) + "' is not a size: use a number and a unit (b, kb, mb, gb,"
          + " tb, pb), e.g. 50gb"));
    }
    if (!dataStream) {
      // Daily indices have no write alias to roll over: ILM and ISM would fail on each of them.
      if (maxAge != null) {
        problems.add(new SpecProblem(FIELD + ".rolloverMaxAge", "applies to data streams only:"
            + " daily indices roll over by date; set spec.elasticsearch.template.dataStream: true"
            + " or remove rolloverMaxAge"));
      }
      if (maxSize != null) {
        problems.add(new SpecProblem(FIELD + ".rolloverMaxPrimaryShardSize", "applies to data"
            + " streams only: daily indices roll over by date; set"
            + " spec.elasticsearch.template.dataStream: true or remove rolloverMaxPrimaryShardSize"));
      }
      if (deleteAfter == null) {
        problems.add(new SpecProblem(FIELD + ".deleteAfter", "is required for daily indices: they"
            + " roll over by date, so deleting them is all a lifecycle does; e.g. 30d"));
      }
      return problems;
    }
    if (maxAge == null && maxSize == null) {
      problems.add(new SpecProblem(FIELD, "has no rollover condition: a data stream's write index"
          + " is never deleted, so it would grow forever; set rolloverMaxAge (e.g. 1d) and/or"
          + " rolloverMaxPrimaryShardSize (e.g. 50gb)"));
    }
    Long deleteMs = millis(deleteAfter);
    Long rolloverMs = millis(maxAge);
    if (deleteMs != null && rolloverMs != null && deleteMs < rolloverMs) {
      problems.add(new SpecProblem(FIELD + ".deleteAfter", "is " + deleteAfter + ", shorter than"
          + " rolloverMaxAge (" + maxAge + "): an index would be kept for less time after its"
          + " rollover than it was written to; use at least " + maxAge));
    }
    return problems;
  }

  /** Indices that are never deleted fill the search cluster's disk, and then the pipeline stalls. */
  static List<SpecProblem> warnings(ElasticsearchSpec es) {
    LifecycleSpec lifecycle = es.getLifecycle();
    if (lifecycle == null) {
      return List.of(new SpecProblem(FIELD, "is absent: indices are kept forever, until the"
          + " search cluster's disk fills and indexing stops; set deleteAfter (and, for a data"
          + " stream, rolloverMaxAge)"));
    }
    if (lifecycle.getDeleteAfter() == null) {
      return List.of(new SpecProblem(FIELD + ".deleteAfter", "is absent: rolled-over indices are"
          + " kept forever, until the search cluster's disk fills and indexing stops"));
    }
    return List.of();
  }

  private static void duration(List<SpecProblem> problems, String field, String value) {
    if (value != null && !DURATION.matcher(value).matches()) {
      problems.add(new SpecProblem(field, "'" + SpecRules.excerpt(value) + "' is not a duration:"
          + " use a number of at most 9 digits and a unit (d, h, m, s), e.g. 30d"));
    }
  }

  /** Milliseconds of a valid duration, or null when absent or invalid. */
  static Long millis(String duration) {
    Matcher m = duration == null ? null : DURATION.matcher(duration);
    if (m == null || !m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> n * 1000L;
      case "m" -> n * 60_000L;
      case "h" -> n * 3_600_000L;
      default -> n * 86_400_000L;
    };
  }
}
