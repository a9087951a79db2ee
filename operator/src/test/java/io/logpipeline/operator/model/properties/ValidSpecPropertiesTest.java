package io.logpipeline.operator.model.properties;

import static io.logpipeline.operator.model.properties.Gens.frequency;
import static io.logpipeline.operator.model.properties.Gens.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.TopicSpec;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SpecProblem;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Property 1: every spec that is valid per the API docs is accepted, and defaulted as documented;
 * and a retention beyond what a long holds is rejected, never overflowed.
 */
class ValidSpecPropertiesTest {

  private static final Pattern RETENTION = Pattern.compile("^([0-9]+)(ms|s|m|h|d|w)$");

  private static final List<String> UNITS = List.of("ms", "s", "m", "h", "d", "w");

  @Test
  void resolveAcceptsEveryValidSpec() {
    Coverage coverage = new Coverage();
    qt().withExamples(1000).forAll(ValidLogPipelines.logPipelines()).checkAssert(lp -> {
      String name = lp.getMetadata().getName();
      coverage.collect("name length", name.length() <= 43 ? "1-43" : name.length() <= 63
          ? "44-63" : name.length() < 250 ? "64-249" : "250-253");
      coverage.collect("name shape", Character.isDigit(name.charAt(0)) ? "digit first"
          : name.contains(".") ? "dotted" : "plain");
      resolvesAsDocumented(lp);
    });
    coverage.check("name length", "250-253", 5);
    coverage.check("name shape", "digit first", 5);
    coverage.check("name shape", "dotted", 5);
  }

  private static void resolvesAsDocumented(LogPipeline lp) {
    String name = lp.getMetadata().getName();
    Pipeline p = KubernetesRules.resolve(lp);

    // Defaults as the api types document them.
    var kafka = lp.getSpec().getKafka();
    TopicSpec topic = kafka.getTopic();
    if (topic.getName() != null) {
      assertThat(p.topicName()).isEqualTo(topic.getName());
    }
    assertThat(p.kafkaNamespace()).isEqualTo(kafka.getNamespace() != null
        ? kafka.getNamespace() : lp.getMetadata().getNamespace());
    if (kafka.getBootstrapServers() == null) {
      assertThat(p.bootstrapServers()).isEqualTo(kafka.getCluster() + "-kafka-bootstrap."
          + p.kafkaNamespace() + ".svc:9092");
    }
    Matcher m = RETENTION.matcher(topic.getRetention());
    assertThat(m.matches()).isTrue();
    assertThat(p.retentionMs()).as("retention.ms of %s", topic.getRetention())
        .isEqualTo(Math.multiplyExact(Long.parseLong(m.group(1)), ValidLogPipelines.unitMillis(m.group(2))))
        .isPositive();
    var es = lp.getSpec().getElasticsearch();
    if (es.getIndex() != null) {
      assertThat(p.index()).isEqualTo(es.getIndex());
    }
    assertThat(p.hosts()).map(URI::toString).containsExactlyElementsOf(es.getHosts());
    if (name.length() <= 63) {
      assertThat(p.instance()).as("instance label of a name that is a label value").isEqualTo(name);
    } else {
      assertThat(KubernetesRules.isLabelValue(p.instance())).as("instance label %s", p.instance()).isTrue();
    }
  }

  /**
   * Regression guard for finding F1: with the CRD pattern {@code ^[1-9][0-9]*(ms|...)$} (any
   * number of digits), resolve threw NumberFormatException for n beyond a long (shrunk to
   * "12200160415121871203d"; the smallest is 9223372036854775808ms) and silently overflowed
   * retention.ms for n x unit beyond one ("106751991168d" gave -9223372036794351616,
   * "15250284453w" gave -9223372036535151616). Any retention is now either converted exactly or
   * rejected with a problem.
   */
  @Test
  void retentionIsConvertedExactlyOrRejected() {
    qt().withExamples(300).forAll(anyRetention()).checkAssert(retention -> {
      BigInteger n = retention.n();
      String unit = retention.unit();
      String text = n + unit;
      LogPipeline lp = ValidLogPipelines.minimal("payments", "logging");
      lp.getSpec().getKafka().getTopic().setRetention(text);
      Pipeline p;
      try {
        p = Pipeline.resolve(lp);
      } catch (InvalidSpecException e) {
        assertThat(e.problems()).extracting(SpecProblem::field).containsOnly("spec.kafka.topic.retention");
        return;
      }
      BigInteger expected = n.multiply(BigInteger.valueOf(ValidLogPipelines.unitMillis(unit)));
      assertThat(BigInteger.valueOf(p.retentionMs())).as("retention.ms of %s", text).isEqualTo(expected);
    });
  }

  /** A retention "{n}{unit}" as a number and a unit. */
  record Retention(BigInteger n, String unit) {
    @Override
    public String toString() {
      return n + unit;
    }
  }

  /**
   * Retentions with n from 1 to 10^30 of every magnitude (1 to 31 digits, uniformly, then the
   * digits), and with n next to where n x unit leaves a long (Long.MAX_VALUE / unit).
   */
  static Gen<Retention> anyRetention() {
    BigInteger max = BigInteger.TEN.pow(30);
    Gen<BigInteger> anyMagnitude = integers().between(1, 31).flatMap(digits ->
        Gens.lists(integers().between(0, 9), digits, digits).map(ds -> {
          StringBuilder sb = new StringBuilder();
          ds.forEach(sb::append);
          BigInteger b = new BigInteger(sb.toString());
          return b.signum() == 0 ? BigInteger.ONE : b.min(max);
        }));
    Gen<String> units = Gens.of(UNITS);
    Gen<Retention> any = anyMagnitude.zip(units, Retention::new);
    Gen<Retention> nearOverflow = units.zip(integers().between(-2, 2), (unit, delta) -> new Retention(
        BigInteger.valueOf(Long.MAX_VALUE / ValidLogPipelines.unitMillis(unit)).add(BigInteger.valueOf(delta)),
        unit));
    return frequency(weighted(4, any), weighted(1, nearOverflow));
  }
}
