package io.logpipeline.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.validation.CrdSchemaValidator.Violation;
import io.logpipeline.operator.validation.InvalidCorpus.Entry;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The corpus as a whole: its size per owner, that it triggers every constraint the CRD declares
 * on the spec (every CEL rule included), and that a rule one owner enforces alone is one the
 * other cannot know of.
 */
class CorpusSummaryTest {

  /** Keywords of the structural schema that reject a value. */
  private static final List<String> CONSTRAINTS = List.of("enum", "pattern", "minimum", "maximum",
      "minItems", "maxItems", "minLength", "maxLength", "minProperties", "maxProperties");

  @Test
  void corpusHasEnoughFilesForBothOwners() {
    List<Entry> entries = InvalidCorpus.entries();
    long schema = entries.stream().filter(e -> e.owner().equals(InvalidCorpus.SCHEMA)).count();
    long operator = entries.stream().filter(e -> e.owner().equals(InvalidCorpus.OPERATOR)).count();
    long updates = entries.stream().filter(Entry::isUpdate).count();
    System.out.printf("%ninvalid corpus: %d files; schema: %d files (%d updates for transition"
        + " rules), operator: %d files%n", entries.size(), schema, updates, operator);
    assertThat(entries).hasSizeGreaterThanOrEqualTo(45);
    assertThat(schema).isPositive();
    assertThat(operator).isPositive();
    assertThat(entries).extracting(Entry::name).doesNotHaveDuplicates();
    assertThat(entries).allSatisfy(e -> assertThat(e.object().at("/metadata/name").asText())
        .as("%s: metadata.name is the file name", e.path()).isEqualTo(e.name()));
  }

  @Test
  void everyCelRuleOfTheCrdIsTriggeredBySomeSchemaFile() {
    Set<String> triggered = new TreeSet<>();
    InvalidCorpus.owned(InvalidCorpus.SCHEMA).forEach(e -> apiServerErrors(e).stream()
        .filter(Violation::isCel).forEach(v -> triggered.add(v.schemaPath() + " " + v.rule())));
    List<String> rules = InvalidCorpus.apiServer().rules().stream()
        .map(r -> r.schemaPath() + " " + r.rule()).toList();
    System.out.println("\nCEL rules of the CRD and whether a corpus file triggers them:");
    rules.forEach(r -> System.out.println("  " + (triggered.contains(r) ? "covered   " : "UNCOVERED ") + r));
    assertThat(rules).isNotEmpty();
    assertThat(triggered).containsAll(rules);
  }

  @Test
  void everyConstraintOnTheSpecIsTriggeredBySomeSchemaFile() {
    Set<String> declared = new LinkedHashSet<>();
    collectConstraints(InvalidCorpus.apiServer().schema().path("properties").path("spec"), "spec",
        declared);
    Set<String> triggered = new TreeSet<>();
    InvalidCorpus.owned(InvalidCorpus.SCHEMA).forEach(e -> apiServerErrors(e).stream()
        .filter(v -> !v.isCel()).forEach(v -> triggered.add(v.schemaPath() + " " + v.keyword())));
    System.out.println("\nSchema constraints on spec and whether a corpus file triggers them:");
    declared.forEach(c -> System.out.println("  " + (triggered.contains(c) ? "covered   " : "UNCOVERED ") + c));
    assertThat(triggered).containsAll(declared);
  }

  /**
   * Which rules one owner enforces alone, and why it can: the API server alone, only type
   * mismatches that Jackson coerces when the operator reads the spec (a quoted number or boolean,
   * a number where a string is due) and the transition rules (the operator has no old object:
   * it compares partitions with the existing KafkaTopic instead); the operator alone, only what
   * the schema cannot express (the Logstash filter's grammar, the podSelector's operator/values
   * rules). A rule missing from render is one users cannot check in CI without a cluster.
   */
  /**
   * The rules only the operator enforces, by field (a regular expression), and why the API
   * server cannot: a new operator-only rule must be added here with its reason, or moved into
   * the CRD.
   */
  static final java.util.Map<String, String> OPERATOR_ONLY = java.util.Map.ofEntries(
      java.util.Map.entry("spec\\.indexer\\.filter", "Logstash's grammar and its regular expression engine (Oniguruma)"),
      java.util.Map.entry("spec\\.sources\\.multiline\\.pattern", "Go's RE2 syntax, which CEL's regex functions do not check"),
      java.util.Map.entry("spec\\.sources\\.podSelector\\..*", "the Kubernetes LabelSelector type's schema, which the CRD takes as is"),
      java.util.Map.entry("spec\\.elasticsearch\\.hosts\\[\\d+\\]", "what Logstash's output refuses across hosts and credentials (TLS for an API key, one scheme)"),
      java.util.Map.entry("spec\\.indexer\\.resources\\..*", "resource quantities, which the CRD keeps as int-or-string"),
      java.util.Map.entry("spec\\.kafka\\.authentication.*|spec\\.kafka\\.adminSecret", "combinations of Kafka mode and credentials whose messages name the product's limits (MSK IAM)"),
      java.util.Map.entry("spec\\.elasticsearch\\.lifecycle.*", "durations compared across fields in the units ILM and ISM take (30d), which CEL's duration() does not parse"),
      java.util.Map.entry("spec\\.kafka\\.topic\\.config\\..*|spec\\.kafka\\.topic\\.retentionBytes", "Kafka config values (strings, quantities) compared with each other and with the size chain"),
      java.util.Map.entry("spec\\.kafka\\.topic\\.partitions?", "what the operator reads into its types (a number out of int range, an unknown field)"),
      java.util.Map.entry("spec\\.indexer\\.(persistentQueue|deadLetters).*", "sizes and index names checked against the queue's needs and the main index pattern"));

  @Test
  void aRuleOnlyOneOwnerEnforcesIsOneTheOtherCannotKnowOf() {
    List<String> schemaOnly = new ArrayList<>();
    List<String> operatorOnly = new ArrayList<>();
    int both = 0;
    for (Entry e : InvalidCorpus.entries()) {
      boolean apiServerRejects = !apiServerErrors(e).isEmpty();
      boolean operatorRejects = operatorVerdict(e).startsWith("rejects");
      assertThat(apiServerRejects || operatorRejects).as("%s is rejected by someone", e.name()).isTrue();
      if (e.isUpdate()) {
        assertThat(apiServerRejects).as("%s: transition rules are the API server's", e.name()).isTrue();
      } else if (apiServerRejects && operatorRejects) {
        both++;
      } else if (apiServerRejects) {
        schemaOnly.add(e.name());
      } else {
        operatorOnly.add(e.field() + " [" + e.name() + "]");
      }
    }
    assertThat(schemaOnly).as("enforced by the API server only (render and Pipeline.resolve accept them)")
        .isSubsetOf("schema-topic-config-not-string", "schema-partitions-not-integer", "schema-paused-not-boolean");
    assertThat(operatorOnly).as("enforced by the operator only (the API server accepts them): each"
        + " field must be one whose rule a CRD schema cannot state, with the reason in OPERATOR_ONLY")
        .allSatisfy(line -> assertThat(OPERATOR_ONLY.keySet()).as(line)
            .anySatisfy(field -> assertThat(line).matches(field + " .*")));
    assertThat(both).as("enforced by both").isGreaterThanOrEqualTo(InvalidCorpus.entries().size() / 2);
  }

  static List<Violation> apiServerErrors(Entry e) {
    return e.isUpdate()
        ? InvalidCorpus.apiServer().validate(e.object(), e.oldObject())
        : InvalidCorpus.apiServer().validate(e.object());
  }

  /** What the operator makes of the file's (new) object, in a few words. */
  static String operatorVerdict(Entry e) {
    LogPipeline lp;
    try {
      lp = e.logPipeline();
    } catch (RuntimeException ex) {
      return "rejects (cannot read it: " + firstLine(ex) + ")";
    }
    try {
      Pipeline.resolve(lp);
      return "accepts";
    } catch (InvalidSpecException ex) {
      return "rejects (" + ex.problems().get(0).field() + ")";
    } catch (RuntimeException ex) {
      return "CRASHES: " + ex;
    }
  }

  private static String firstLine(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String m = String.valueOf(root.getMessage()).lines().findFirst().orElse("").strip();
    return m.length() <= 80 ? m : m.substring(0, 77) + "...";
  }

  /** Every constraint under {@code schema} as "path keyword", list items as [*], map values as .*. */
  private static void collectConstraints(JsonNode schema, String path, Set<String> out) {
    for (String keyword : CONSTRAINTS) {
      if (schema.has(keyword)) {
        out.add(path + " " + keyword);
      }
    }
    for (JsonNode required : schema.path("required")) {
      out.add(path + "." + required.asText() + " required");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      var p = it.next();
      collectConstraints(p.getValue(), path + "." + p.getKey(), out);
    }
    if (schema.path("items").isObject()) {
      collectConstraints(schema.get("items"), path + "[*]", out);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectConstraints(schema.get("additionalProperties"), path + ".*", out);
    }
  }
}
