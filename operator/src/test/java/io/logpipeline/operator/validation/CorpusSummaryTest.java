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
 * on the spec (every CEL rule included), and which rules each owner enforces alone. The tables
 * go to stdout for the closing notes.
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
   * Runs every file through both owners and prints who rejects what. A rule only the API server
   * enforces is also not enforced by {@code render}, which users run in CI without a cluster.
   */
  @Test
  void printWhichOwnerEnforcesWhichRule() {
    List<String> schemaOnly = new ArrayList<>();
    List<String> operatorOnly = new ArrayList<>();
    List<String> both = new ArrayList<>();
    List<String> updates = new ArrayList<>();
    System.out.println("\nfile | owner | API server | operator");
    for (Entry e : InvalidCorpus.entries()) {
      boolean apiServerRejects = !apiServerErrors(e).isEmpty();
      String operator = operatorVerdict(e);
      boolean operatorRejects = operator.startsWith("rejects");
      System.out.printf("  %-45s %-8s %-8s %s%n", e.name(), e.owner(),
          apiServerRejects ? "rejects" : "accepts", operator);
      String line = e.field() + ": " + e.checks() + " [" + e.name() + "]";
      if (e.isUpdate()) {
        updates.add(line);
      } else if (apiServerRejects && operatorRejects) {
        both.add(line);
      } else if (apiServerRejects) {
        schemaOnly.add(line);
      } else {
        operatorOnly.add(line);
      }
    }
    print("Enforced by the API server only (render and Pipeline.resolve accept them)", schemaOnly);
    print("Enforced on updates by the API server's transition rules (the operator compares"
        + " partitions with the existing KafkaTopic instead; names not at all)", updates);
    print("Enforced by both", both);
    print("Enforced by the operator only (the API server accepts them)", operatorOnly);
    assertThat(schemaOnly.size() + operatorOnly.size() + both.size() + updates.size())
        .isEqualTo(InvalidCorpus.entries().size());
  }

  private static void print(String title, List<String> lines) {
    System.out.println("\n" + title + ": " + lines.size());
    lines.stream().sorted().forEach(l -> System.out.println("  " + l));
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
