package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.TemplateSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class IndexTemplateModelTest {

  private static final Pipeline PAYMENTS = Specs.resolve(Specs.minimal());

  @Test
  void matchesTheDatedIndicesOfThePipeline() {
    ObjectNode body = IndexTemplateModel.body(PAYMENTS);
    List<String> patterns = texts(body.get("index_patterns"));
    assertThat(patterns).hasSize(1);
    assertThat(matches(patterns, "logs-logging.payments_2025.01.31")).isTrue();
    assertThat(matches(patterns, "logs-logging.payments_2031.12.01")).isTrue();
    assertThat(matches(patterns, "logs-logging.payments")).isFalse();
    assertThat(matches(patterns, "logs-logging.other_2025.01.31")).isFalse();
    // the pipeline's other indices (e.g. a dead-letter index) are not daily ones
    assertThat(matches(patterns, PAYMENTS.indexNames().derived("deadletter"))).isFalse();
    assertThat(body.has("data_stream")).isFalse();
    assertThat(PAYMENTS.templateName()).isEqualTo("logs-logging.payments");
  }

  @Test
  void doesNotMatchTheIndicesOfAPipelineWhoseNameExtendsThisOne() {
    // a cluster refuses two templates of equal priority whose patterns overlap
    Pipeline app = Specs.resolve(Specs.pipeline("app", "logging", s -> { }));
    Pipeline appLogs = Specs.resolve(Specs.pipeline("app-logs", "logging", s -> { }));
    List<String> appPatterns = texts(IndexTemplateModel.body(app).get("index_patterns"));
    List<String> appLogsPatterns = texts(IndexTemplateModel.body(appLogs).get("index_patterns"));
    assertThat(matches(appPatterns, "logs-logging.app-logs_2025.01.31")).isFalse();
    assertThat(matches(appLogsPatterns, "logs-logging.app_2025.01.31")).isFalse();
    assertThat(matches(appPatterns, "logs-logging.app_2025.01.31")).isTrue();
    assertThat(matches(appLogsPatterns, "logs-logging.app-logs_2025.01.31")).isTrue();
    // finding F4: a name that continues with "-2" once overlapped with "-2*"
    Pipeline app2 = Specs.resolve(Specs.pipeline("app-2024", "logging", s -> { }));
    assertThat(matches(appPatterns, app2.indexNames().writeTarget()
        .replace("%{+YYYY.MM.dd}", "2025.01.31"))).isFalse();
  }

  @Test
  void matchesTheDataStreamItselfWhenAsked() {
    ObjectNode body = body(t -> t.setDataStream(true));
    assertThat(texts(body.get("index_patterns"))).containsExactly("logs-logging.payments");
    assertThat(body.get("data_stream").isObject()).isTrue();
    // data streams need @timestamp
    assertThat(body.at("/template/mappings/properties/@timestamp/type").asText()).isEqualTo("date");
  }

  @Test
  void patternsFollowAnExplicitIndex() {
    ObjectNode body = IndexTemplateModel.body(Specs.resolve(spec ->
        spec.getElasticsearch().setIndex("payments-api")));
    List<String> patterns = texts(body.get("index_patterns"));
    assertThat(matches(patterns, "payments-api_2025.01.31")).isTrue();
    assertThat(matches(patterns, "logs-logging.payments_2025.01.31")).isFalse();
  }

  @Test
  void defaultsToPriority200OneShardOneReplica() {
    ObjectNode body = IndexTemplateModel.body(PAYMENTS);
    // above the priority (100) of Elasticsearch's built-in logs-*-* template
    assertThat(body.get("priority").asInt()).isEqualTo(200).isGreaterThan(100);
    assertThat(body.at("/template/settings/number_of_shards").asInt()).isEqualTo(1);
    assertThat(body.at("/template/settings/number_of_replicas").asInt()).isEqualTo(1);
  }

  @Test
  void takesPriorityShardsAndReplicasFromTheSpec() {
    ObjectNode body = body(t -> {
      t.setPriority(500);
      t.setShards(3);
      t.setReplicas(2);
    });
    assertThat(body.get("priority").asInt()).isEqualTo(500);
    assertThat(body.at("/template/settings/number_of_shards").asInt()).isEqualTo(3);
    assertThat(body.at("/template/settings/number_of_replicas").asInt()).isEqualTo(2);
  }

  @Test
  void defaultMappingsTypeTimestampMessageAndKubernetesMetadata() {
    JsonNode mappings = IndexTemplateModel.body(PAYMENTS).at("/template/mappings");
    assertThat(mappings).isEqualTo(IndexTemplateModel.defaultMappings());
    assertThat(mappings.at("/properties/@timestamp/type").asText()).isEqualTo("date");
    assertThat(mappings.at("/properties/message/type").asText()).isEqualTo("text");
    JsonNode kubernetes = kubernetesDynamicTemplate(mappings);
    assertThat(kubernetes.get("path_match").asText()).isEqualTo("kubernetes.*");
    assertThat(kubernetes.get("match_mapping_type").asText()).isEqualTo("string");
    assertThat(kubernetes.at("/mapping/type").asText()).isEqualTo("keyword");
  }

  @Test
  void userMappingsAreMergedOverTheDefaults() {
    ObjectNode body = body(t -> t.setMappings(Specs.json("""
        {"properties": {
           "status": {"type": "integer"},
           "message": {"type": "text", "norms": false},
           "http": {"properties": {"method": {"type": "keyword"}}}},
         "_source": {"enabled": true}}
        """)));
    JsonNode mappings = body.at("/template/mappings");
    assertThat(mappings.at("/properties/status/type").asText()).isEqualTo("integer");
    assertThat(mappings.at("/properties/http/properties/method/type").asText()).isEqualTo("keyword");
    assertThat(mappings.at("/properties/message/type").asText()).isEqualTo("text");
    assertThat(mappings.at("/properties/message/norms").asBoolean(true)).isFalse();
    assertThat(mappings.at("/_source/enabled").asBoolean()).isTrue();
    // defaults kept
    assertThat(mappings.at("/properties/@timestamp/type").asText()).isEqualTo("date");
    assertThat(kubernetesDynamicTemplate(mappings)).isNotNull();
  }

  @Test
  void userDynamicTemplatesComeBeforeTheDefaults() {
    ObjectNode body = body(t -> t.setMappings(Specs.json("""
        {"dynamic_templates": [{"labels_as_text": {"path_match": "kubernetes.labels.*",
                                                   "mapping": {"type": "text"}}}]}
        """)));
    JsonNode dynamic = body.at("/template/mappings/dynamic_templates");
    assertThat(dynamic).hasSize(2);
    assertThat(dynamic.get(0).has("labels_as_text")).isTrue();
    assertThat(kubernetesDynamicTemplate(body.at("/template/mappings"))).isNotNull();
  }

  @Test
  void aUserDynamicTemplateWithADefaultsNameReplacesIt() {
    String name = IndexTemplateModel.defaultMappings().get("dynamic_templates").get(0)
        .fieldNames().next();
    ObjectNode body = body(t -> t.setMappings(Specs.json(
        "{\"dynamic_templates\": [{\"" + name + "\": {\"path_match\": \"kubernetes.*\","
            + " \"mapping\": {\"type\": \"wildcard\"}}}]}")));
    JsonNode dynamic = body.at("/template/mappings/dynamic_templates");
    assertThat(dynamic).hasSize(1);
    assertThat(dynamic.get(0).get(name).at("/mapping/type").asText()).isEqualTo("wildcard");
  }

  @Test
  void userMappingsCanRetypeADefaultField() {
    ObjectNode body = body(t -> t.setMappings(Specs.json(
        "{\"properties\": {\"message\": {\"type\": \"match_only_text\"}}}")));
    assertThat(body.at("/template/mappings/properties/message/type").asText()).isEqualTo("match_only_text");
  }

  @Test
  void mergingDoesNotChangeTheDefaults() {
    body(t -> t.setMappings(Specs.json("{\"properties\": {\"status\": {\"type\": \"integer\"}}}")));
    assertThat(IndexTemplateModel.defaultMappings().at("/properties/status").isMissingNode()).isTrue();
    assertThat(IndexTemplateModel.body(PAYMENTS).at("/template/mappings/properties/status")
        .isMissingNode()).isTrue();
  }

  @Test
  void userSettingsAreMergedWithShardsAndReplicas() {
    ObjectNode body = body(t -> {
      t.setShards(2);
      t.setSettings(Specs.json("{\"index.refresh_interval\": \"30s\", \"codec\": \"best_compression\"}"));
    });
    JsonNode settings = body.at("/template/settings");
    assertThat(settings.get("index.refresh_interval").asText()).isEqualTo("30s");
    assertThat(settings.get("codec").asText()).isEqualTo("best_compression");
    assertThat(settings.get("number_of_shards").asInt()).isEqualTo(2);
    assertThat(settings.get("number_of_replicas").asInt()).isEqualTo(1);
  }

  @Test
  void nonObjectMappingsOrSettingsAreIgnored() {
    ObjectNode body = body(t -> {
      t.setMappings(Specs.json("[1, 2]"));
      t.setSettings(Specs.json("\"x\""));
    });
    assertThat(body.at("/template/mappings")).isEqualTo(IndexTemplateModel.defaultMappings());
    assertThat(body.at("/template/settings").size()).isEqualTo(2);
  }

  @Test
  void mergeRecursesIntoObjectsAndReplacesEverythingElse() {
    ObjectNode base = (ObjectNode) Specs.json("{\"a\": {\"x\": 1, \"y\": 2}, \"list\": [1, 2], \"s\": \"old\"}");
    IndexTemplateModel.merge(base, (ObjectNode) Specs.json(
        "{\"a\": {\"y\": 3, \"z\": 4}, \"list\": [9], \"s\": {\"now\": \"object\"}, \"n\": null}"));
    assertThat(base).isEqualTo(Specs.json(
        "{\"a\": {\"x\": 1, \"y\": 3, \"z\": 4}, \"list\": [9], \"s\": {\"now\": \"object\"}, \"n\": null}"));
  }

  // ---------------------------------------------------------------- _meta and hash

  @Test
  void metaNamesTheOwnerAndCarriesTheHash() {
    ObjectNode body = IndexTemplateModel.body(PAYMENTS);
    assertThat(body.at("/_meta/managed_by").asText()).isEqualTo("logpipeline-operator");
    assertThat(body.at("/_meta/logpipeline").asText()).isEqualTo("logging/payments");
    assertThat(IndexTemplateModel.storedHash(body)).isEqualTo(IndexTemplateModel.hash(body)).isNotBlank();
  }

  @Test
  void hashIsStableForEqualSpecs() {
    String hash = IndexTemplateModel.storedHash(IndexTemplateModel.body(PAYMENTS));
    assertThat(IndexTemplateModel.storedHash(IndexTemplateModel.body(Specs.resolve(Specs.minimal()))))
        .isEqualTo(hash);
    Consumer<TemplateSpec> custom = t -> {
      t.setMappings(Specs.json("{\"properties\": {\"status\": {\"type\": \"integer\"}}}"));
      t.setSettings(Specs.json("{\"index.refresh_interval\": \"30s\"}"));
    };
    assertThat(IndexTemplateModel.storedHash(body(custom)))
        .isEqualTo(IndexTemplateModel.storedHash(body(custom)));
    // things that are not in the template do not change it
    assertThat(IndexTemplateModel.storedHash(IndexTemplateModel.body(Specs.resolve(spec -> {
      spec.getIndexer().setFilter("mutate { }");
      spec.getKafka().getTopic().setPartitions(12);
    })))).isEqualTo(hash);
  }

  @Test
  void hashChangesWithTheTemplate() {
    List<String> hashes = new ArrayList<>();
    hashes.add(IndexTemplateModel.storedHash(IndexTemplateModel.body(PAYMENTS)));
    List<Consumer<TemplateSpec>> changes = List.of(
        t -> t.setShards(2),
        t -> t.setReplicas(0),
        t -> t.setPriority(300),
        t -> t.setDataStream(true),
        t -> t.setMappings(Specs.json("{\"properties\": {\"status\": {\"type\": \"integer\"}}}")),
        t -> t.setMappings(Specs.json("{\"properties\": {\"status\": {\"type\": \"long\"}}}")),
        t -> t.setSettings(Specs.json("{\"index.refresh_interval\": \"30s\"}")));
    for (Consumer<TemplateSpec> change : changes) {
      hashes.add(IndexTemplateModel.storedHash(body(change)));
    }
    hashes.add(IndexTemplateModel.storedHash(IndexTemplateModel.body(Specs.resolve(spec ->
        spec.getElasticsearch().setIndex("other")))));
    assertThat(hashes).doesNotHaveDuplicates();
  }

  @Test
  void storedHashOfAForeignTemplateIsNull() {
    assertThat(IndexTemplateModel.storedHash(Specs.json("{\"index_patterns\": [\"x-*\"]}"))).isNull();
    assertThat(IndexTemplateModel.storedHash(Specs.json("{\"_meta\": {\"hash\": 42}}"))).isNull();
  }

  @Test
  void aStoredTemplateWithoutMetaChangesIsCurrent() {
    ObjectNode stored = IndexTemplateModel.body(PAYMENTS);
    // what a cluster returns keeps _meta; the hash of the rest is recomputed equal
    assertThat(IndexTemplateModel.hash(stored)).isEqualTo(IndexTemplateModel.storedHash(stored));
    ObjectNode edited = stored.deepCopy();
    ((ObjectNode) edited.at("/template/settings")).put("number_of_replicas", 5);
    assertThat(IndexTemplateModel.hash(edited)).isNotEqualTo(IndexTemplateModel.storedHash(edited));
  }

  // ---------------------------------------------------------------- helpers

  private static ObjectNode body(Consumer<TemplateSpec> edit) {
    return IndexTemplateModel.body(Specs.resolve((LogPipelineSpec spec) -> {
      TemplateSpec t = new TemplateSpec();
      edit.accept(t);
      spec.getElasticsearch().setTemplate(t);
    }));
  }

  private static JsonNode kubernetesDynamicTemplate(JsonNode mappings) {
    for (JsonNode entry : mappings.get("dynamic_templates")) {
      for (JsonNode template : entry) {
        if ("kubernetes.*".equals(template.path("path_match").asText())) {
          return template;
        }
      }
    }
    throw new AssertionError("no dynamic template for kubernetes.* in " + mappings);
  }

  /** Whether an index name matches one of the template's wildcard patterns. */
  private static boolean matches(List<String> patterns, String index) {
    return patterns.stream().anyMatch(pattern -> index.matches(
        java.util.Arrays.stream(pattern.split("\\*", -1)).map(java.util.regex.Pattern::quote)
            .collect(java.util.stream.Collectors.joining(".*"))));
  }

  private static List<String> texts(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
