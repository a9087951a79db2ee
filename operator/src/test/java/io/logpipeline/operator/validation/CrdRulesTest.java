package io.logpipeline.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.logpipeline.operator.validation.CrdSchemaValidator.Rule;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The CEL rules of the generated CRD, checked for what the API server checks when the CRD is
 * created (the rule compiles with {@code self} typed from the schema, names only declared
 * fields, {@code oldSelf} only where an old value can be correlated, a cost the estimator can
 * bound) and found where the api types declare them.
 */
class CrdRulesTest {

  private static final Pattern FIELD_REFERENCE =
      Pattern.compile("\\b(?:self|oldSelf)((?:\\.[A-Za-z_][A-Za-z0-9_]*)+)");

  private final CrdSchemaValidator apiServer = InvalidCorpus.apiServer();

  @Test
  void rulesSitWhereTheApiTypesDeclareThem() {
    assertThat(apiServer.rules())
        .extracting(Rule::schemaPath, Rule::rule, Rule::transition)
        .contains(
            tuple("spec.kafka.topic.name", "self != '.' && self != '..'", false),
            tuple("spec.kafka.topic.name", "self == oldSelf", true),
            tuple("spec.kafka.namespace", "self == oldSelf", true),
            tuple("spec.kafka", "(has(self.topic) && has(self.topic.partitions) ? self.topic.partitions : 6)"
                + " >= (has(oldSelf.topic) && has(oldSelf.topic.partitions) ? oldSelf.topic.partitions : 6)", true));
    assertThat(apiServer.rules())
        .filteredOn(r -> r.schemaPath().equals("spec.elasticsearch"))
        .singleElement()
        .satisfies(r -> {
          assertThat(r.rule()).contains("apiKeyKey").contains("opensearch");
          assertThat(r.fieldPath()).isEqualTo(".credentialsSecret.apiKeyKey");
        });
  }

  @Test
  void everyRuleCompilesWithSelfTypedFromTheSchema() {
    assertThat(apiServer.rules()).allSatisfy(r ->
        assertThatCode(() -> apiServer.program(r.rule(), r.node()))
            .as("%s: %s", r.schemaPath(), r.rule()).doesNotThrowAnyException());
  }

  @Test
  void everyRuleNamesOnlyDeclaredFields() {
    List<String> unknown = new ArrayList<>();
    for (Rule r : apiServer.rules()) {
      Matcher m = FIELD_REFERENCE.matcher(r.rule());
      while (m.find()) {
        if (resolve(r.node(), m.group(1)) == null) {
          unknown.add(r.schemaPath() + ": " + m.group());
        }
      }
      if (!r.fieldPath().isEmpty() && resolve(r.node(), r.fieldPath()) == null) {
        unknown.add(r.schemaPath() + ": fieldPath " + r.fieldPath());
      }
    }
    assertThat(unknown).as("references to fields the schema does not declare").isEmpty();
  }

  @Test
  void messagesAreSingleLines() {
    assertThat(apiServer.rules()).allSatisfy(r ->
        assertThat(r.message()).as(r.schemaPath()).isNotBlank().doesNotContain("\n"));
  }

  /**
   * The API server refuses a CRD whose transition rule sits under an atomic list: items of such
   * lists have no old counterpart.
   */
  @Test
  void transitionRulesSitWhereAnOldValueCanBeFound() {
    assertThat(apiServer.rules()).filteredOn(Rule::transition)
        .allSatisfy(r -> assertThat(r.underList()).as(r.schemaPath()).isFalse());
  }

  /**
   * The estimated cost of a rule is multiplied by how many times it can run: a rule under a list
   * or map without maxItems/maxProperties is estimated from the 3 MiB request limit and can push
   * the CRD over the API server's cost budget at creation.
   */
  @Test
  void everyRuleRunsABoundedNumberOfTimes() {
    assertThat(apiServer.rules())
        .allSatisfy(r -> assertThat(r.unboundedCardinality()).as(r.schemaPath()).isFalse());
  }

  /**
   * The cost of comparing a string grows with its length, which the API server's cost estimator
   * takes from maxLength, or from the 3 MiB request limit when there is none: every string a rule
   * reads (beyond has()) is bounded by maxLength or is an enum.
   */
  @Test
  void everyStringARuleReadsIsBounded() {
    List<String> unbounded = new ArrayList<>();
    for (Rule r : apiServer.rules()) {
      // has(self.a.b) tests presence only: no string is read.
      Matcher m = FIELD_REFERENCE.matcher(r.rule().replaceAll("has\\((?:self|oldSelf)(?:\\.[A-Za-z_][A-Za-z0-9_]*)+\\)", ""));
      List<JsonNode> read = new ArrayList<>(List.of(r.node()));
      while (m.find()) {
        JsonNode field = resolve(r.node(), m.group(1));
        if (field != null) {
          read.add(field);
        }
      }
      for (JsonNode field : read) {
        if (field.path("type").asText().equals("string") && !field.has("maxLength") && !field.has("enum")) {
          unbounded.add(r.schemaPath() + ": " + r.rule());
        }
      }
    }
    assertThat(unbounded).as("rules reading a string without maxLength or enum").isEmpty();
  }

  /** The schema of {@code .a.b} below {@code schema}, or null when it is not declared. */
  private static JsonNode resolve(JsonNode schema, String dottedPath) {
    JsonNode node = schema;
    for (String segment : dottedPath.substring(1).split("\\.")) {
      if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
          && !node.has("properties")) {
        return node;
      }
      JsonNode next = node.path("properties").get(segment);
      if (next == null && node.path("additionalProperties").isObject()) {
        next = node.get("additionalProperties");
      }
      if (next == null) {
        return null;
      }
      node = next;
    }
    return node;
  }

  /**
   * A transition rule runs only when its node exists in both the old and the new object: the
   * rules on spec.kafka catch the updates that set or remove the guarded fields, so none of
   * these can move the topic or shrink it. The changes that are allowed still pass.
   */
  @Test
  void noUpdateMovesTheTopicOrShrinksIt() {
    String stored = """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: payments, namespace: logging}
        spec:
          kafka:
            cluster: my-cluster
        %s
          elasticsearch:
            hosts: ["https://es-http.elastic.svc:9200"]
        """;
    String[][] refused = {
        {"topic name set where the default logs.<ns>.<name> was used", "", "    topic: {name: logs.other}"},
        {"explicit topic name removed (back to the default name)", "    topic: {name: logs.payments}", "    topic: {}"},
        {"explicit topic name changed", "    topic: {name: logs.payments}", "    topic: {name: logs.other}"},
        {"kafka.namespace set where the LogPipeline's namespace was used", "", "    namespace: kafka"},
        {"kafka.namespace removed (back to the LogPipeline's namespace)", "    namespace: kafka", ""},
        {"partitions 12 with the whole topic block removed (operator default 6)", "    topic: {partitions: 12}", ""},
        {"partitions 3 set where the operator default 6 was used (no topic block)", "", "    topic: {partitions: 3}"},
        {"partitions 12 removed, topic block kept (schema default 6)",
            "    topic: {partitions: 12, retention: 3d}", "    topic: {retention: 3d}"},
        {"partitions 12 -> 6", "    topic: {partitions: 12}", "    topic: {partitions: 6}"},
    };
    String[][] allowed = {
        {"partitions grow where there was no topic block", "", "    topic: {partitions: 12}"},
        {"partitions 12 -> 24", "    topic: {partitions: 12}", "    topic: {partitions: 24}"},
        {"partitions 6 written out where the default was used", "", "    topic: {partitions: 6}"},
        {"retention changed", "    topic: {retention: 3d}", "    topic: {retention: 7d}"},
        {"topic block removed at the default partitions", "    topic: {partitions: 6}", ""},
    };
    for (String[] u : refused) {
      assertThat(apiServer.validate(InvalidCorpus.readYaml(stored.formatted(u[2])),
          InvalidCorpus.readYaml(stored.formatted(u[1])))).as("refused: " + u[0]).isNotEmpty();
    }
    for (String[] u : allowed) {
      assertThat(apiServer.validate(InvalidCorpus.readYaml(stored.formatted(u[2])),
          InvalidCorpus.readYaml(stored.formatted(u[1])))).as("allowed: " + u[0]).isEmpty();
    }
  }
}
