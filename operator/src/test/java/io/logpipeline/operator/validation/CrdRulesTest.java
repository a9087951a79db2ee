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
            tuple("spec.kafka.topic.partitions", "self >= oldSelf", true));
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

  /** Prints each rule with the bounds the API server's cost estimator would use. */
  @Test
  void printRuleCostBounds() {
    System.out.println("\nCEL rules, their self and the sizes the cost estimator would assume:");
    for (Rule r : apiServer.rules()) {
      List<String> sizes = new ArrayList<>();
      sizes.add("self " + bound(r.node()));
      Matcher m = FIELD_REFERENCE.matcher(r.rule());
      while (m.find()) {
        JsonNode field = resolve(r.node(), m.group(1));
        if (field != null) {
          sizes.add(m.group().replaceFirst("^oldSelf", "self") + " " + bound(field));
        }
      }
      System.out.printf("  %-28s %-10s %s%n      %s%n", r.schemaPath(),
          r.transition() ? "transition" : "", r.rule(), String.join("; ", sizes.stream().distinct().toList()));
    }
  }

  private static String bound(JsonNode schema) {
    String type = schema.path("type").asText("any");
    return switch (type) {
      case "string" -> schema.has("maxLength") ? "string, maxLength " + schema.get("maxLength")
          : schema.has("enum") ? "string, enum without maxLength (size estimated from the request limit)"
          : "string, UNBOUNDED (size estimated from the 3 MiB request limit)";
      case "array" -> schema.has("maxItems") ? "array, maxItems " + schema.get("maxItems")
          : "array, UNBOUNDED";
      default -> type;
    };
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
   * Updates the transition rules do not see, because the API server runs a rule only when the
   * node exists in both the old and the new object. Printed, not asserted: they are findings
   * for the api types, and a fix should not break this test.
   */
  @Test
  void printTransitionRuleBlindSpots() {
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
    String[][] updates = {
        {"topic name set where the default logs.<ns>.<name> was used",
            "", "    topic: {name: logs.other}"},
        {"explicit topic name removed (back to the default name)",
            "    topic: {name: logs.payments}", "    topic: {}"},
        {"kafka.namespace set where the LogPipeline's namespace was used",
            "", "    namespace: kafka"},
        {"kafka.namespace removed (back to the LogPipeline's namespace)",
            "    namespace: kafka", ""},
        {"partitions 12 with the whole topic block removed (operator default 6)",
            "    topic: {partitions: 12}", ""},
        {"partitions 3 set where the operator default 6 was used (no topic block)",
            "", "    topic: {partitions: 3}"},
        {"partitions 12 removed, topic block kept (schema default 6)",
            "    topic: {partitions: 12, retention: 3d}", "    topic: {retention: 3d}"},
    };
    System.out.println("\nTransition rules on updates that change the topic, its namespace or its"
        + " partitions:");
    for (String[] u : updates) {
      var old = InvalidCorpus.readYaml(stored.formatted(u[1]));
      var now = InvalidCorpus.readYaml(stored.formatted(u[2]));
      var errors = apiServer.validate(now, old);
      System.out.printf("  %-8s %s%n", errors.isEmpty() ? "ACCEPTED" : "rejected", u[0]);
    }
  }
}
