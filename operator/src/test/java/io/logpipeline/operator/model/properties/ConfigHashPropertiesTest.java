package io.logpipeline.operator.model.properties;

import static io.logpipeline.operator.model.properties.Gens.frequency;
import static io.logpipeline.operator.model.properties.Gens.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Property 6: a pod template's config-hash annotation changes exactly when the data of the
 * ConfigMap its pods read changes: a config change rolls the pods, nothing else does.
 */
class ConfigHashPropertiesTest {

  /** A change a user might make to a spec; the int varies the new value. */
  record Mutation(String name, BiConsumer<LogPipelineSpec, Integer> apply) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Mutation> MUTATIONS = List.of(
      new Mutation("nothing", (s, i) -> { }),
      new Mutation("indexer.replicas", (s, i) -> s.getIndexer().setReplicas(i % 11)),
      new Mutation("indexer.image", (s, i) -> s.getIndexer().setImage("example.com/logstash:" + i)),
      new Mutation("indexer.filter", (s, i) -> s.getIndexer().setFilter(
          ValidLogPipelines.FILTERS.get(i % ValidLogPipelines.FILTERS.size()))),
      new Mutation("indexer.batchSize", (s, i) -> s.getIndexer().setBatchSize(1 + i)),
      new Mutation("indexer.pipelineWorkers", (s, i) -> s.getIndexer().setPipelineWorkers(i % 4)),
      new Mutation("shipper.image", (s, i) -> s.getShipper().setImage("example.com/filebeat:" + i)),
      new Mutation("shipper.nodeSelector", (s, i) -> s.getShipper().getNodeSelector().put("pool", "p" + i)),
      new Mutation("shipper.resources", (s, i) -> s.getShipper().setResources(new ResourceRequirementsBuilder()
          .addToRequests("cpu", new Quantity((1 + i) + "m")).build())),
      new Mutation("sources.json", (s, i) -> s.getSources().setJson(!s.getSources().isJson())),
      new Mutation("sources.containers", (s, i) -> s.getSources().getContainers().add("c" + i)),
      new Mutation("sources.excludeNamespaces", (s, i) -> s.getSources().setExcludeNamespaces(
          new ArrayList<>(List.of("kube-system")))),
      new Mutation("kafka.topic.partitions", (s, i) -> s.getKafka().getTopic().setPartitions(1 + i)),
      new Mutation("kafka.topic.config max.message.bytes", (s, i) ->
          s.getKafka().getTopic().getConfig().put("max.message.bytes", String.valueOf(900_000 + i * 1000))),
      new Mutation("kafka.topic.config segment.bytes", (s, i) ->
          s.getKafka().getTopic().getConfig().put("segment.bytes", String.valueOf((1 << 20) * (1 + i % 8)))),
      new Mutation("template.shards", (s, i) -> s.getElasticsearch().getTemplate().setShards(1 + i % 1024)),
      new Mutation("deletionPolicy", (s, i) -> s.setDeletionPolicy(
          s.getDeletionPolicy() == DeletionPolicy.Delete ? DeletionPolicy.Retain : DeletionPolicy.Delete)),
      new Mutation("elasticsearch.flavor", (s, i) -> {
        var es = s.getElasticsearch();
        es.setFlavor(es.getFlavor() == Flavor.OPENSEARCH ? Flavor.ELASTICSEARCH : Flavor.OPENSEARCH);
        if (es.getCredentialsSecret() != null) {
          es.getCredentialsSecret().setApiKeyKey(null);
        }
      }),
      new Mutation("elasticsearch.credentialsSecret", (s, i) -> {
        var es = s.getElasticsearch();
        if (es.getCredentialsSecret() == null) {
          CredentialsSecretRef c = new CredentialsSecretRef();
          c.setName("es-creds-" + i);
          es.setCredentialsSecret(c);
        } else {
          es.setCredentialsSecret(null);
        }
      }));

  /** Two specs, the second either drawn on its own or the first with one change. */
  record TwoSpecs(String change, LogPipeline a, LogPipeline b) {
    @Override
    public String toString() {
      return change + ":" + ValidLogPipelines.describe(a) + ValidLogPipelines.describe(b);
    }
  }

  static Gen<TwoSpecs> twoSpecs() {
    Gen<TwoSpecs> independent = ValidLogPipelines.logPipelines().zip(ValidLogPipelines.logPipelines(),
        (a, b) -> new TwoSpecs("independent", a, b));
    Gen<TwoSpecs> edited = ValidLogPipelines.logPipelines().zip(Gens.of(MUTATIONS), integers().between(0, 999),
        (a, mutation, i) -> {
          LogPipeline b = ValidLogPipelines.copy(a);
          mutation.apply().accept(b.getSpec(), i);
          return new TwoSpecs(mutation.name(), a, b);
        });
    return frequency(weighted(1, independent), weighted(5, edited));
  }

  @Test
  void configHashChangesIffConfigMapDataChanges() {
    Coverage coverage = new Coverage();
    qt().withExamples(600).forAll(twoSpecs()).checkAssert(specs -> {
      Pipeline a = KubernetesRules.resolve(specs.a());
      Pipeline b = KubernetesRules.resolve(specs.b());

      boolean shipperData = ShipperModel.configMap(a).getData().equals(ShipperModel.configMap(b).getData());
      boolean shipperHash = hash(ShipperModel.daemonSet(a).getSpec().getTemplate())
          .equals(hash(ShipperModel.daemonSet(b).getSpec().getTemplate()));
      boolean indexerData = IndexerModel.configMap(a).getData().equals(IndexerModel.configMap(b).getData());
      boolean indexerHash = hash(IndexerModel.statefulSet(a).getSpec().getTemplate())
          .equals(hash(IndexerModel.statefulSet(b).getSpec().getTemplate()));

      coverage.collect("filebeat.yml", shipperData ? "same" : "changed");
      coverage.collect("logstash config", indexerData ? "same" : "changed");

      assertThat(shipperHash).as("DaemonSet config-hash equal <=> filebeat ConfigMap data equal (%s)",
          specs.change()).isEqualTo(shipperData);
      assertThat(indexerHash).as("Deployment config-hash equal <=> logstash ConfigMap data equal (%s)",
          specs.change()).isEqualTo(indexerData);
    });
    coverage.check("filebeat.yml", "same", 10);
    coverage.check("filebeat.yml", "changed", 10);
    coverage.check("logstash config", "same", 10);
    coverage.check("logstash config", "changed", 10);
  }

  /**
   * Map order carries no meaning in YAML or JSON (and the API server may hand maps back in
   * another order): the same spec with its maps in another order rolls no pods.
   */
  @Test
  void theOrderOfMapEntriesInTheSpecChangesNoConfig() {
    qt().withExamples(300).forAll(ValidLogPipelines.logPipelines())
        .checkAssert(ConfigHashPropertiesTest::reorderedMapsChangeNoConfig);
  }

  private static void reorderedMapsChangeNoConfig(LogPipeline lp) {
    LogPipeline reordered = ValidLogPipelines.copy(lp);
    LogPipelineSpec spec = reordered.getSpec();
    var selector = spec.getSources().getPodSelector();
    if (selector != null) {
      selector.setMatchLabels(reversed(selector.getMatchLabels()));
    }
    spec.getShipper().setNodeSelector(reversed(spec.getShipper().getNodeSelector()));
    spec.getKafka().getTopic().setConfig(reversed(spec.getKafka().getTopic().getConfig()));

    Pipeline a = KubernetesRules.resolve(lp);
    Pipeline b = KubernetesRules.resolve(reordered);
    assertData(ShipperModel.configMap(a), ShipperModel.configMap(b));
    assertData(IndexerModel.configMap(a), IndexerModel.configMap(b));
    assertThat(hash(ShipperModel.daemonSet(b).getSpec().getTemplate()))
        .isEqualTo(hash(ShipperModel.daemonSet(a).getSpec().getTemplate()));
    assertThat(hash(IndexerModel.statefulSet(b).getSpec().getTemplate()))
        .isEqualTo(hash(IndexerModel.statefulSet(a).getSpec().getTemplate()));
  }

  private static void assertData(ConfigMap a, ConfigMap b) {
    assertThat(b.getData()).as(a.getMetadata().getName()).isEqualTo(a.getData());
  }

  private static <V> Map<String, V> reversed(Map<String, V> map) {
    if (map == null) {
      return null;
    }
    List<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet());
    Collections.reverse(entries);
    Map<String, V> out = new LinkedHashMap<>();
    entries.forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  private static String hash(PodTemplateSpec template) {
    String hash = template.getMetadata().getAnnotations().get(Pipeline.CONFIG_HASH_ANNOTATION);
    assertThat(hash).as("config-hash annotation").isNotBlank();
    return hash;
  }
}
