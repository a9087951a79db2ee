package io.logpipeline.operator.model;

import static io.logpipeline.operator.model.FilebeatSelection.event;
import static io.logpipeline.operator.model.FilebeatSelection.logFile;
import static io.logpipeline.operator.model.FilebeatSelection.reads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.logpipeline.operator.model.properties.ValidLogPipelines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Point 1 of the shipper's durability: which lines are shipped depends on the log file's path
 * and, for a pod selector, on metadata only when there is metadata. Generated pods, namespaces
 * and containers, with their metadata known or gone (a deleted pod whose metadata expired, a
 * Filebeat that just restarted).
 */
class SourceSelectionTest {

  /** Container names that are prefixes of each other, and unrelated ones. */
  static final List<String> CONTAINERS = List.of("app", "app-worker", "app-1", "worker", "istio-proxy", "a");
  static final List<String> NAMESPACES = List.of("payments", "payments-staging", "shop", "kube-system", "a");

  record Line(String pod, String namespace, String container, boolean metadata, boolean api) {}

  static Gen<Line> lines() {
    Gen<String> pods = ValidLogPipelines.dnsLabel(1, 40).zip(ValidLogPipelines.dnsLabel(1, 10),
        booleans().all(), (a, b, dotted) -> dotted ? a + "." + b : a);
    Gen<String> namespaces = Generate.pick(NAMESPACES).mix(ValidLogPipelines.dnsLabel(1, 63), 20);
    Gen<String> containers = Generate.pick(CONTAINERS).mix(ValidLogPipelines.dnsLabel(1, 63), 20);
    return pods.zip(namespaces, containers, booleans().all(), booleans().all(),
        (pod, ns, c, metadata, api) -> new Line(pod, ns, c, metadata, api));
  }

  @Test
  void namespaceAndContainerComeFromThePathWithOrWithoutMetadata() {
    Pipeline p = Specs.resolve(spec -> {
      spec.getSources().setNamespaces(new ArrayList<>(List.of("payments", "shop", "a")));
      spec.getSources().setExcludeNamespaces(new ArrayList<>(List.of("shop")));
      spec.getSources().setContainers(new ArrayList<>(List.of("app", "a")));
    });
    qt().withExamples(500).forAll(lines()).checkAssert(line -> {
      Path file = logFile(line.pod(), line.namespace(), line.container());
      boolean wanted = List.of("payments", "a").contains(line.namespace())
          && List.of("app", "a").contains(line.container());
      Map<String, String> labels = line.metadata() ? Map.of("tier", "web") : null;
      boolean shipped = reads(p, file) && event(p, file, line.container(), labels).isPresent();
      assertThat(shipped).as("%s", file).isEqualTo(wanted);
    });
  }

  @Test
  void aPodSelectorNeverDropsALineOnlyBecauseMetadataIsMissing() {
    Pipeline p = Specs.resolve(spec -> spec.getSources().setPodSelector(
        new LabelSelectorBuilder().addToMatchLabels("tier", "api").build()));
    qt().withExamples(500).forAll(lines()).checkAssert(line -> {
      Path file = logFile(line.pod(), line.namespace(), line.container());
      Map<String, String> labels = !line.metadata() ? null
          : line.api() ? Map.of("tier", "api") : Map.of("tier", "web");
      Optional<Map<String, Object>> event = event(p, file, line.container(), labels);
      assertThat(reads(p, file)).isTrue();
      // known not to match: dropped; known to match, or unknown: shipped
      assertThat(event.isPresent()).as("%s %s", file, labels).isEqualTo(!line.metadata() || line.api());
      event.ifPresent(e -> {
        @SuppressWarnings("unchecked")
        List<String> tags = (List<String>) e.getOrDefault("tags", List.of());
        if (line.metadata()) {
          assertThat(tags).doesNotContain(ShipperModel.METADATA_MISSING_TAG);
        } else {
          assertThat(tags).as("marked").contains(ShipperModel.METADATA_MISSING_TAG);
        }
      });
    });
  }

  @Test
  void linesWithoutMetadataAreMarkedWhateverTheSelection() {
    Path file = logFile("job-28391-x7k2p", "payments", "app");
    for (Pipeline p : List.of(Specs.resolve(Specs.minimal()),
        Specs.resolve(spec -> spec.getSources().setJson(true)))) {
      Map<String, Object> event = event(p, file, "app", null).orElseThrow();
      assertThat(event.get("tags")).asList().containsExactly(ShipperModel.METADATA_MISSING_TAG);
      assertThat(event(p, file, "app", Map.of()).orElseThrow()).doesNotContainKey("tags");
    }
  }

  @Test
  void aContainerNameWithRegexCharactersIsMatchedLiterally() {
    // Not a legal container name, but the spec does not forbid it: it must not widen the match.
    Pipeline p = Specs.resolve(spec -> spec.getSources().setContainers(new ArrayList<>(List.of("a.*"))));
    assertThat(event(p, logFile("x", "payments", "a.*"), "a.*", Map.of())).isPresent();
    assertThat(event(p, logFile("x", "payments", "abc"), "abc", Map.of())).isEmpty();
    assertThat(event(p, logFile("x", "payments", "a-b"), "a-b", Map.of())).isEmpty();
  }

  @Test
  void theContainerIdMayNotBeTakenForPartOfTheName() {
    Pipeline p = Specs.resolve(spec -> spec.getSources().setContainers(new ArrayList<>(List.of("app"))));
    for (String container : List.of("app-beef", "app-0", "app-deadbeef")) {
      Path file = logFile("x", "payments", container);
      assertThat(event(p, file, container, Map.of())).as(container).isEmpty();
    }
  }
}
