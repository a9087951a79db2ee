package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.elastic.LifecycleApi;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ILM and ISM policy bodies. The golden files under src/test/resources/golden/policies/ were
 * reviewed against Elastic's ILM documentation (PUT _ilm/policy, rollover and delete actions) and
 * OpenSearch's ISM documentation (policies: states, rollover, transitions, ism_template); the
 * ILM ones are also parsed by Elasticsearch's own policy parser in elastic-compat
 * ({@code IlmPolicyParserTest}). Regenerate after an intended change and review the diff:
 *
 * <pre>mvn -pl operator test -Dtest=LifecyclePolicyModelTest -Dgolden.update=true</pre>
 */
class LifecyclePolicyModelTest {

  static final Path GOLDEN = Path.of("src/test/resources/golden/policies");
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The four shapes: each product, data stream or daily indices. */
  static Pipeline pipeline(Flavor flavor, boolean dataStream) {
    return Specs.resolve(Specs.minimal(spec -> {
      spec.getElasticsearch().setFlavor(flavor);
      spec.getElasticsearch().getTemplate().setDataStream(dataStream);
      LifecycleSpec lifecycle = new LifecycleSpec();
      if (dataStream) {
        lifecycle.setRolloverMaxAge("1d");
        lifecycle.setRolloverMaxPrimaryShardSize("50gb");
      }
      lifecycle.setDeleteAfter("30d");
      spec.getElasticsearch().setLifecycle(lifecycle);
    }));
  }

  @TestFactory
  Stream<DynamicTest> bodiesMatchTheGoldenFiles() {
    return Stream.of(Flavor.ELASTICSEARCH, Flavor.OPENSEARCH).flatMap(flavor ->
        Stream.of(true, false).map(dataStream -> {
          String file = (flavor == Flavor.OPENSEARCH ? "ism" : "ilm")
              + (dataStream ? "-data-stream" : "-daily") + ".json";
          return DynamicTest.dynamicTest(file, () -> {
            String actual = JSON.writeValueAsString(LifecyclePolicyModel.body(pipeline(flavor, dataStream))) + "\n";
            Path golden = GOLDEN.resolve(file);
            if (Boolean.getBoolean("golden.update")) {
              Files.createDirectories(GOLDEN);
              Files.writeString(golden, actual, StandardCharsets.UTF_8);
            }
            assertThat(actual).as("%s; if intended, regenerate with -Dgolden.update=true", golden)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
          });
        }));
  }

  @Test
  void ilmRollsADataStreamOverThenDeletesAfterTheRollover() {
    JsonNode phases = LifecyclePolicyModel.body(pipeline(Flavor.ELASTICSEARCH, true)).at("/policy/phases");
    assertThat(phases.at("/hot/actions/rollover/max_age").asText()).isEqualTo("1d");
    assertThat(phases.at("/hot/actions/rollover/max_primary_shard_size").asText()).isEqualTo("50gb");
    // ILM measures a later phase's min_age from the rollover
    assertThat(phases.at("/delete/min_age").asText()).isEqualTo("30d");
    assertThat(phases.at("/delete/actions").has("delete")).isTrue();
  }

  @Test
  void ilmOnlyDeletesDailyIndices() {
    JsonNode phases = LifecyclePolicyModel.body(pipeline(Flavor.ELASTICSEARCH, false)).at("/policy/phases");
    assertThat(phases.has("hot")).as("no rollover: a daily index has no write alias").isFalse();
    assertThat(phases.at("/delete/min_age").asText()).isEqualTo("30d");
  }

  @Test
  void ismMeasuresDeletionFromTheRolloverForDataStreamsAndFromCreationForDailyIndices() {
    JsonNode ds = LifecyclePolicyModel.body(pipeline(Flavor.OPENSEARCH, true)).get("policy");
    assertThat(ds.at("/states/0/actions/0/rollover/min_index_age").asText()).isEqualTo("1d");
    assertThat(ds.at("/states/0/actions/0/rollover/min_primary_shard_size").asText()).isEqualTo("50gb");
    assertThat(ds.at("/states/0/transitions/0/conditions/min_rollover_age").asText()).isEqualTo("30d");
    assertThat(ds.at("/states/1/actions/0").has("delete")).isTrue();
    JsonNode daily = LifecyclePolicyModel.body(pipeline(Flavor.OPENSEARCH, false)).get("policy");
    assertThat(daily.at("/states/0/actions")).isEmpty();
    assertThat(daily.at("/states/0/transitions/0/conditions/min_index_age").asText()).isEqualTo("30d");
  }

  @Test
  void ismTemplateMatchesExactlyWhatTheIndexTemplateMatches() {
    for (boolean dataStream : List.of(true, false)) {
      Pipeline p = pipeline(Flavor.OPENSEARCH, dataStream);
      assertThat(LifecyclePolicyModel.body(p).at("/policy/ism_template/0/index_patterns"))
          .isEqualTo(IndexTemplateModel.body(p).get("index_patterns"));
      assertThat(LifecyclePolicyModel.body(p).at("/policy/ism_template/0/priority").asInt())
          .isEqualTo(IndexTemplateModel.body(p).get("priority").asInt());
    }
  }

  @Test
  void ownerAndHashAreReadBackFromWhatEachProductStores() {
    for (Flavor flavor : Flavor.values()) {
      Pipeline p = pipeline(flavor, true);
      LifecycleApi api = LifecyclePolicyModel.api(p);
      ObjectNode stored = (ObjectNode) LifecyclePolicyModel.body(p).get("policy").deepCopy();
      // what ISM adds when it stores a policy
      stored.put("policy_id", "x").put("last_updated_time", 1L).put("schema_version", 21);
      assertThat(LifecyclePolicyModel.storedOwner(api, stored)).isEqualTo("logging/payments");
      assertThat(LifecyclePolicyModel.storedHash(api, stored))
          .isEqualTo(LifecyclePolicyModel.desiredHash(api, LifecyclePolicyModel.body(p))).isNotBlank();
    }
  }

  @Test
  void aChangedLifecycleChangesTheHash() {
    Pipeline p = pipeline(Flavor.OPENSEARCH, true);
    Pipeline longer = Specs.resolve(Specs.minimal(spec -> {
      spec.getElasticsearch().setFlavor(Flavor.OPENSEARCH);
      spec.getElasticsearch().getTemplate().setDataStream(true);
      LifecycleSpec lifecycle = new LifecycleSpec();
      lifecycle.setRolloverMaxAge("1d");
      lifecycle.setRolloverMaxPrimaryShardSize("50gb");
      lifecycle.setDeleteAfter("60d");
      spec.getElasticsearch().setLifecycle(lifecycle);
    }));
    assertThat(LifecyclePolicyModel.desiredHash(LifecycleApi.ISM, LifecyclePolicyModel.body(longer)))
        .isNotEqualTo(LifecyclePolicyModel.desiredHash(LifecycleApi.ISM, LifecyclePolicyModel.body(p)));
  }

  @Test
  void theElasticsearchTemplateRefersToThePolicyUnlessTheClusterHasNoIlm() {
    Pipeline p = pipeline(Flavor.ELASTICSEARCH, true);
    ObjectNode attached = IndexTemplateModel.body(p);
    assertThat(attached.at("/template/settings/index.lifecycle.name").asText())
        .isEqualTo(p.indexNames().policyName());
    assertThat(attached.at("/_meta/lifecycle_policy").asText()).isEqualTo(p.indexNames().policyName());
    ObjectNode fallback = IndexTemplateModel.body(p, false);
    assertThat(fallback.at("/template/settings").has("index.lifecycle.name")).isFalse();
    assertThat(fallback.at("/_meta").has("lifecycle_policy")).isFalse();
    assertThat(IndexTemplateModel.storedHash(fallback)).isNotEqualTo(IndexTemplateModel.storedHash(attached));
  }

  @Test
  void theOpenSearchTemplateCarriesNoLifecycleSetting() {
    // ISM attaches through the policy's ism_template; OpenSearch refuses index.lifecycle.name
    ObjectNode body = IndexTemplateModel.body(pipeline(Flavor.OPENSEARCH, false));
    assertThat(body.at("/template/settings").has("index.lifecycle.name")).isFalse();
    assertThat(body.at("/_meta/lifecycle_policy").asText()).isEqualTo("logs-logging.payments");
  }

  @Test
  void withoutALifecycleThereIsNoPolicyAndAWarning() {
    Pipeline p = Specs.resolve(Specs.minimal());
    assertThat(LifecyclePolicyModel.body(p)).isNull();
    assertThat(p.warnings()).anySatisfy(w -> {
      assertThat(w.field()).isEqualTo("spec.elasticsearch.lifecycle");
      assertThat(w.message()).contains("kept forever");
    });
    assertThat(pipeline(Flavor.ELASTICSEARCH, true).warnings()).noneSatisfy(w ->
        assertThat(w.field()).startsWith("spec.elasticsearch.lifecycle"));
  }

  static JsonNode golden(String file) throws IOException {
    return JSON.readTree(GOLDEN.resolve(file).toFile());
  }
}
