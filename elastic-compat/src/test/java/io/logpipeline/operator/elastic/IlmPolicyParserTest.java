package io.logpipeline.operator.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.model.LifecyclePolicyModel;
import io.logpipeline.operator.model.Pipeline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.model.IndexTemplateModel;
import java.util.HashSet;
import java.util.Set;
import org.elasticsearch.cluster.metadata.ComposableIndexTemplate;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.unit.ByteSizeValue;
import org.elasticsearch.xpack.core.ilm.LifecycleSettings;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.xcontent.DeprecationHandler;
import org.elasticsearch.xcontent.NamedXContentRegistry;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;
import org.elasticsearch.xcontent.XContentType;
import org.elasticsearch.xpack.core.ilm.DeleteAction;
import org.elasticsearch.xpack.core.ilm.LifecycleAction;
import org.elasticsearch.xpack.core.ilm.LifecyclePolicy;
import org.elasticsearch.xpack.core.ilm.LifecycleType;
import org.elasticsearch.xpack.core.ilm.Phase;
import org.elasticsearch.xpack.core.ilm.RolloverAction;
import org.elasticsearch.xpack.core.ilm.TimeseriesLifecycleType;
import org.elasticsearch.xpack.core.ilm.action.PutLifecycleAction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's ILM bodies through Elasticsearch 7.17's own parser ({@code x-pack-core}, test
 * scope): the {@code PUT _ilm/policy} request is parsed as the REST handler parses it, then
 * validated as {@code PutLifecycleAction} validates it. ILM cannot run in this JVM (the ILM plugin
 * is not on Maven Central), so this is as close to the server as the tests get.
 */
class IlmPolicyParserTest {

  /** What the ILM plugin registers for the timeseries lifecycle with our two actions. */
  private static final NamedXContentRegistry REGISTRY = new NamedXContentRegistry(List.of(
      new NamedXContentRegistry.Entry(LifecycleType.class,
          new ParseField(TimeseriesLifecycleType.TYPE), p -> TimeseriesLifecycleType.INSTANCE),
      new NamedXContentRegistry.Entry(LifecycleAction.class,
          new ParseField(RolloverAction.NAME), RolloverAction::parse),
      new NamedXContentRegistry.Entry(LifecycleAction.class,
          new ParseField(DeleteAction.NAME), DeleteAction::parse)));

  private static final Path GOLDEN = Path.of("../operator/src/test/resources/golden/policies");

  /** Parses and validates a request body; throws what Elasticsearch would answer with 400. */
  static LifecyclePolicy parse(String name, String json) throws IOException {
    try (XContentParser parser = XContentType.JSON.xContent()
        .createParser(REGISTRY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
      PutLifecycleAction.Request request = PutLifecycleAction.Request.parseRequest(name, parser);
      assertThat(request.validate()).as("request validation").isNull();
      request.getPolicy().validate();
      return request.getPolicy();
    }
  }

  static Stream<Path> goldenIlmBodies() throws IOException {
    try (Stream<Path> files = Files.list(GOLDEN)) {
      List<Path> ilm = files.filter(f -> f.getFileName().toString().startsWith("ilm-")).sorted().toList();
      assertThat(ilm).as("ILM golden files in %s", GOLDEN.toAbsolutePath()).isNotEmpty();
      return ilm.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("goldenIlmBodies")
  void goldenBodiesAreValidIlmPolicies(Path file) throws IOException {
    LifecyclePolicy policy = parse("logs-logging.payments", Files.readString(file));
    assertThat(policy.getPhases()).containsKey("delete");
    assertThat(policy.getPhases().get("delete").getMinimumAge()).isEqualTo(TimeValue.timeValueDays(30));
    assertThat(policy.getMetadata()).containsEntry("logpipeline", "logging/payments");
  }

  /** Every combination the spec allows, as the model builds it for flavor elasticsearch. */
  static Stream<LifecycleSpec> lifecycles() {
    List<LifecycleSpec> all = new ArrayList<>();
    for (String age : new String[] {null, "1d", "12h"}) {
      for (String size : new String[] {null, "50gb", "512mb"}) {
        for (String delete : new String[] {null, "30d", "36h"}) {
          if (age == null && size == null) {
            continue;
          }
          LifecycleSpec l = new LifecycleSpec();
          l.setRolloverMaxAge(age);
          l.setRolloverMaxPrimaryShardSize(size);
          l.setDeleteAfter(delete);
          all.add(l);
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("lifecycles")
  void everyDataStreamLifecycleTheSpecAllowsParsesAsMeant(LifecycleSpec lifecycle) throws Exception {
    Pipeline p = pipeline(true, lifecycle);
    ObjectNode body = LifecyclePolicyModel.body(p);

    LifecyclePolicy policy = parse(p.indexNames().policyName(), body.toString());

    RolloverAction rollover = (RolloverAction) policy.getPhases().get("hot").getActions().get(RolloverAction.NAME);
    assertThat(rollover.getMaxAge()).isEqualTo(lifecycle.getRolloverMaxAge() == null ? null
        : TimeValue.parseTimeValue(lifecycle.getRolloverMaxAge(), "test"));
    assertThat(rollover.getMaxPrimaryShardSize()).isEqualTo(lifecycle.getRolloverMaxPrimaryShardSize() == null
        ? null : ByteSizeValue.parseBytesSizeValue(lifecycle.getRolloverMaxPrimaryShardSize(), "test"));
    Phase delete = policy.getPhases().get("delete");
    if (lifecycle.getDeleteAfter() == null) {
      assertThat(delete).isNull();
    } else {
      assertThat(delete.getMinimumAge()).isEqualTo(TimeValue.parseTimeValue(lifecycle.getDeleteAfter(), "test"));
      assertThat(delete.getActions()).containsOnlyKeys(DeleteAction.NAME);
    }
  }

  @Test
  void dailyIndicesGetADeletePhaseOnly() throws Exception {
    LifecycleSpec lifecycle = new LifecycleSpec();
    lifecycle.setDeleteAfter("7d");
    Pipeline p = pipeline(false, lifecycle);
    LifecyclePolicy policy = parse(p.indexNames().policyName(), LifecyclePolicyModel.body(p).toString());
    assertThat(policy.getPhases()).containsOnlyKeys("delete");
  }

  /**
   * The template that attaches the policy, through Elasticsearch's own template parser and index
   * settings registry with ILM's {@code index.lifecycle.name} added as the ILM plugin adds it: the
   * only check the setting can have here, since the OSS node has no such setting.
   */
  @Test
  void theTemplateThatAttachesThePolicyIsValidForElasticsearch() throws Exception {
    LifecycleSpec lifecycle = new LifecycleSpec();
    lifecycle.setRolloverMaxAge("1d");
    lifecycle.setDeleteAfter("30d");
    Pipeline p = pipeline(true, lifecycle);
    String json = IndexTemplateModel.body(p).toString();
    ComposableIndexTemplate template;
    try (XContentParser parser = XContentType.JSON.xContent()
        .createParser(REGISTRY, DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
      template = ComposableIndexTemplate.parse(parser);
    }
    // as MetadataIndexTemplateService does before validating a template's settings
    Settings settings = Settings.builder().put(template.template().settings()).normalizePrefix("index.").build();
    Set<Setting<?>> known = new HashSet<>(IndexScopedSettings.BUILT_IN_INDEX_SETTINGS);
    known.add(LifecycleSettings.LIFECYCLE_NAME_SETTING);
    new IndexScopedSettings(Settings.EMPTY, known).validate(settings, true);
    assertThat(LifecycleSettings.LIFECYCLE_NAME_SETTING.get(settings)).isEqualTo(p.indexNames().policyName());
    assertThat(template.indexPatterns()).containsExactly(p.index());
    // the control: without ILM's setting registered, the same settings are refused
    assertThatThrownBy(() -> new IndexScopedSettings(Settings.EMPTY, IndexScopedSettings.BUILT_IN_INDEX_SETTINGS)
        .validate(settings, true)).hasMessageContaining("index.lifecycle.name");
  }

  @Test
  void theParserRefusesWhatIlmRefuses() {
    // the control: a rollover in the delete phase, which ILM answers with 400
    String misplaced = "{\"policy\":{\"phases\":{\"delete\":{\"min_age\":\"1d\",\"actions\":"
        + "{\"rollover\":{\"max_age\":\"1d\"}}}}}}";
    assertThatThrownBy(() -> parse("x", misplaced)).hasMessageContaining("rollover");
    String badSize = "{\"policy\":{\"phases\":{\"hot\":{\"actions\":"
        + "{\"rollover\":{\"max_primary_shard_size\":\"50Gi\"}}}}}}";
    assertThatThrownBy(() -> parse("x", badSize)).isInstanceOf(Exception.class);
  }

  static Pipeline pipeline(boolean dataStream, LifecycleSpec lifecycle) throws Exception {
    LogPipeline lp = new LogPipeline();
    lp.setMetadata(new ObjectMetaBuilder().withName("payments").withNamespace("logging").build());
    LogPipelineSpec spec = new LogPipelineSpec();
    KafkaSpec kafka = new KafkaSpec();
    kafka.setCluster("my-cluster");
    spec.setKafka(kafka);
    ElasticsearchSpec es = new ElasticsearchSpec();
    es.setHosts(new ArrayList<>(List.of("http://127.0.0.1:9200")));
    es.getTemplate().setDataStream(dataStream);
    es.setLifecycle(lifecycle);
    spec.setElasticsearch(es);
    lp.setSpec(spec);
    return Pipeline.resolve(lp);
  }
}
