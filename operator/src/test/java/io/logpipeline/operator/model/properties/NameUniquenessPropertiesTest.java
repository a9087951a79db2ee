package io.logpipeline.operator.model.properties;

import static io.logpipeline.operator.model.properties.Gens.frequency;
import static io.logpipeline.operator.model.properties.Gens.just;
import static io.logpipeline.operator.model.properties.Gens.weighted;
import static io.logpipeline.operator.model.properties.ValidLogPipelines.LOWER_ALNUM;
import static io.logpipeline.operator.model.properties.ValidLogPipelines.cut;
import static io.logpipeline.operator.model.properties.ValidLogPipelines.dnsLabel;
import static io.logpipeline.operator.model.properties.ValidLogPipelines.objectName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Property 5: two pipelines never get one generated name. Pairs are drawn to be confusable: the
 * same name with dots as dashes, with a suffix, with a long common prefix and another tail, with
 * "lp-" in front, one character changed, and namespace/name splits of the same text.
 *
 * <p>A name made to look like another name's hashed form (e.g. the text of a long name's
 * instance label) is drawn by finding F5's property, and default index names across namespaces
 * (finding F3) by F3's, both in {@link FindingsPropertiesTest}.
 */
class NameUniquenessPropertiesTest {

  /** Two names of pipelines in one namespace. */
  record Names(String a, String b) {}

  /** Two pipelines, each a namespace and a name. */
  record TwoPipelines(String namespaceA, String nameA, String namespaceB, String nameB) {}

  /**
   * Many draws are dropped (a confusable name that is no legal name, or the same name), so the
   * properties allow more than QuickTheories' default of 10 dropped draws per example.
   */
  private static final int GENERATE_ATTEMPTS = 1000;

  static Gen<Names> namesInOneNamespace() {
    return frequency(
            weighted(1, objectName().zip(objectName(), Names::new)),
            weighted(4, objectName().flatMap(n -> confusable(n).map(m -> new Names(n, m)))))
        .assuming(t -> KubernetesRules.isObjectName(t.b()) && !t.a().equals(t.b()));
  }

  static Gen<TwoPipelines> pipelinesInTwoNamespaces() {
    Gen<TwoPipelines> independent = namespace().zip(objectName(), namespace(), objectName(), TwoPipelines::new);
    Gen<TwoPipelines> sameName = namespace().zip(namespace(), objectName(), (a, b, n) -> new TwoPipelines(a, n, b, n));
    // ("a-b", "n") against ("a", "b-n") and ("a", "b.n"): the same text split differently.
    Gen<TwoPipelines> split = dnsLabel(1, 30).zip(dnsLabel(1, 30), objectName(), Gens.of("-", "."),
        (a, b, n, sep) -> new TwoPipelines(a + "-" + b, n, a, cut(b + sep + n, 253)));
    return frequency(weighted(1, independent), weighted(1, sameName), weighted(2, split))
        .assuming(t -> t.namespaceA().length() <= 63 && KubernetesRules.isObjectName(t.nameB())
            && !(t.namespaceA().equals(t.namespaceB()) && t.nameA().equals(t.nameB())));
  }

  @Test
  void differentNamesInOneNamespaceGetDifferentNames() {
    Coverage coverage = new Coverage();
    qt().withExamples(1000).withGenerateAttempts(GENERATE_ATTEMPTS)
        .forAll(namesInOneNamespace(), namespace())
        .checkAssert((names, ns) -> {
          Pipeline a = pipeline(names.a(), ns);
          Pipeline b = pipeline(names.b(), ns);
          coverage.collect("instance", names.a().length() > 63 || names.b().length() > 63
              ? "hashed" : "as is");

          assertThat(a.shipperName()).as("DaemonSet of %s and %s", a.name(), b.name()).isNotEqualTo(b.shipperName());
          assertThat(a.indexerName()).as("Deployment of %s and %s", a.name(), b.name()).isNotEqualTo(b.indexerName());
          assertThat(a.instance()).as("instance label of %s and %s", a.name(), b.name()).isNotEqualTo(b.instance());
          assertThat(a.shipperClusterRoleName()).isNotEqualTo(b.shipperClusterRoleName());
          assertThat(a.topicName()).as("default topic").isNotEqualTo(b.topicName());
          assertThat(a.topicResourceName()).as("KafkaTopic").isNotEqualTo(b.topicResourceName());
          assertThat(a.index()).as("default index").isNotEqualTo(b.index());
          assertThat(a.consumerGroup()).isNotEqualTo(b.consumerGroup());
          assertThat(ShipperModel.hostDataPath(a)).isNotEqualTo(ShipperModel.hostDataPath(b));
        });
    coverage.check("instance", "hashed", 10);
  }

  @Test
  void differentNamespaceAndNamePairsGetDifferentClusterScopedNames() {
    qt().withExamples(1000).withGenerateAttempts(GENERATE_ATTEMPTS)
        .forAll(pipelinesInTwoNamespaces())
        .checkAssert(pair -> {
          Pipeline a = pipeline(pair.nameA(), pair.namespaceA());
          Pipeline b = pipeline(pair.nameB(), pair.namespaceB());
          assertThat(a.shipperClusterRoleName()).as("ClusterRole of %s/%s and %s/%s", a.namespace(), a.name(),
              b.namespace(), b.name()).isNotEqualTo(b.shipperClusterRoleName());
          // Shared across namespaces too: the default topic (in a shared Kafka namespace), its consumer
          // group, and the Filebeat registry directory on the node.
          assertThat(a.topicName()).as("default topic").isNotEqualTo(b.topicName());
          assertThat(a.consumerGroup()).isNotEqualTo(b.consumerGroup());
          assertThat(ShipperModel.hostDataPath(a)).isNotEqualTo(ShipperModel.hostDataPath(b));
        });
  }

  static Gen<String> namespace() {
    return ValidLogPipelines.namespace();
  }

  /** Names a person might give next to {@code n}; not always legal, the caller filters. */
  static Gen<String> confusable(String n) {
    Gen<String> label = dnsLabel(1, 10);
    Gen<Character> alnum = Gens.chars(LOWER_ALNUM);
    return Generate.oneOf(
        just(n.replace('.', '-')),
        just(dashesToDots(n)),
        label.map(s -> cut(n + "-" + s, 253)),
        label.map(s -> cut(n + "." + s, 253)),
        just(cut("lp-" + n, 253)),
        // a long common prefix and another tail
        integers().between(1, 20).zip(label,
            (k, s) -> cut(n.substring(0, Math.max(1, n.length() - k)), 253) + s),
        alnum.map(c -> n.substring(0, n.length() - 1) + c),
        alnum.map(c -> c + n.substring(1)));
  }

  private static String dashesToDots(String n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 1; i < sb.length() - 1; i++) {
      if (sb.charAt(i) == '-' && Character.isLetterOrDigit(sb.charAt(i - 1))
          && Character.isLetterOrDigit(sb.charAt(i + 1))) {
        sb.setCharAt(i, '.');
      }
    }
    return sb.toString();
  }

  private static Pipeline pipeline(String name, String namespace) {
    return KubernetesRules.resolve(ValidLogPipelines.minimal(name, namespace));
  }
}
