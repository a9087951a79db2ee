package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.cli.RenderCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: what {@code render} prints for each LogPipeline file (with the ShipperClasses
 * in it) under src/test/resources/pipelines/, kept in src/test/resources/golden/ under the same file name, so a
 * reader sees a full render. After an intended change to the model, regenerate them (from the
 * repository root) and review the diff:
 *
 * <pre>mvn -pl operator test -Dtest=GoldenRenderTest -Dgolden.update=true</pre>
 */
class GoldenRenderTest {

  /** Surefire runs with the module directory as working directory. */
  private static final Path PIPELINES = Path.of("src/test/resources/pipelines");
  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final String DEFAULT_NAMESPACE = "default";
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");

  @TestFactory
  Stream<DynamicTest> renderMatchesTheGoldenFile() throws IOException {
    List<Path> inputs;
    try (Stream<Path> files = Files.list(PIPELINES)) {
      inputs = files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(inputs).as("input pipelines in %s", PIPELINES.toAbsolutePath()).isNotEmpty();
    return inputs.stream().map(input -> DynamicTest.dynamicTest(input.getFileName().toString(),
        () -> check(input)));
  }

  private static void check(Path input) throws IOException {
    Rendered rendered = renderFile(input);
    // Warnings only (a pipeline without lifecycle is warned about), never an error.
    assertThat(rendered.err().lines()).as("render errors").allMatch(l -> l.contains(": warning: "));
    assertThat(rendered.exit()).isZero();
    // the same input renders the same text: nothing time- or order-dependent
    assertThat(renderFile(input).out()).isEqualTo(rendered.out());

    Path golden = GOLDEN.resolve(input.getFileName());
    if (UPDATE) {
      Files.createDirectories(GOLDEN);
      Files.writeString(golden, rendered.out(), StandardCharsets.UTF_8);
      return;
    }
    assertThat(golden).as("golden file missing; create it with"
        + " mvn -pl operator test -Dtest=GoldenRenderTest -Dgolden.update=true").exists();
    String expected = Files.readString(golden, StandardCharsets.UTF_8).replace("\r\n", "\n");
    assertThat(rendered.out()).as("render of %s differs from %s; if intended, regenerate with"
        + " mvn -pl operator test -Dtest=GoldenRenderTest -Dgolden.update=true", input, golden)
        .isEqualTo(expected);
  }

  @Test
  void everyGoldenFileHasAnInput() throws IOException {
    List<String> orphans = new ArrayList<>();
    try (Stream<Path> files = Files.list(GOLDEN)) {
      files.filter(f -> f.getFileName().toString().endsWith(".yaml"))
          .filter(f -> !Files.exists(PIPELINES.resolve(f.getFileName())))
          .forEach(f -> orphans.add(f.getFileName().toString()));
    }
    assertThat(orphans).as("golden files without an input in %s", PIPELINES).isEmpty();
  }

  @Test
  void aPipelineWithoutNamespaceGetsTheDefaultOne() throws IOException {
    LogPipeline audit = load(PIPELINES.resolve("audit-opensearch.yaml"));
    assertThat(audit.getMetadata().getNamespace()).isNull();
    Rendered rendered = render(List.of(audit));
    assertThat(rendered.exit()).isZero();
    List<Object> docs = documents(rendered.out());
    assertThat(docs).isNotEmpty();
    assertThat(rendered.out()).contains("namespace: \"" + DEFAULT_NAMESPACE + "\"");
  }

  @Test
  void everyGoldenDocumentIsAKubernetesObjectOrATemplateRequest() throws IOException {
    for (Path input : List.of(PIPELINES.resolve("minimal.yaml"), PIPELINES.resolve("payments-elasticsearch.yaml"))) {
      List<Object> docs = documents(render(List.of(load(input))).out());
      Render render = Render.of(Specs.resolve(load(input)));
      int objects = render.objects().size();
      // the objects, then the lifecycle policy (when there is one), the index template and the
      // dead-letter template
      int requests = (render.lifecyclePolicy() == null ? 1 : 2) + 1;
      assertThat(docs).hasSize(objects + requests);
      for (Object doc : docs.subList(0, objects)) {
        assertThat(doc).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsKeys("apiVersion", "kind", "metadata");
      }
      for (Object doc : docs.subList(objects, docs.size())) {
        assertThat(doc).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsKeys("request", "hosts", "body");
      }
    }
  }

  @Test
  void anInvalidPipelineIsReportedAndTheOthersStillRender() throws IOException {
    LogPipeline bad = load(PIPELINES.resolve("minimal.yaml"));
    bad.getMetadata().setName("broken");
    bad.getSpec().getKafka().setCluster(null);
    LogPipeline good = load(PIPELINES.resolve("minimal.yaml"));
    Rendered rendered = render(List.of(bad, good));
    assertThat(rendered.exit()).isEqualTo(1);
    assertThat(rendered.err()).contains("logging/broken").contains("spec.kafka.cluster");
    assertThat(rendered.out()).contains("name: \"cluster-logs-filebeat\"").doesNotContain("broken");
  }

  // ---------------------------------------------------------------- helpers

  private record Rendered(int exit, String out, String err) {}

  private static LogPipeline load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return Serialization.unmarshal(in, LogPipeline.class);
    }
  }

  /** Every document of the file: LogPipelines, and the ShipperClasses that place their shippers. */
  private static Rendered renderFile(Path file) throws IOException {
    List<LogPipeline> pipelines = new ArrayList<>();
    List<ShipperClass> classes = new ArrayList<>();
    for (Object doc : documents(Files.readString(file, StandardCharsets.UTF_8))) {
      if (doc instanceof java.util.Map<?, ?> m && "ShipperClass".equals(m.get("kind"))) {
        classes.add(Serialization.jsonMapper().convertValue(m, ShipperClass.class));
      } else {
        pipelines.add(Serialization.jsonMapper().convertValue(doc, LogPipeline.class));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = RenderCommand.render(pipelines, classes, DEFAULT_NAMESPACE, RenderCommand.OPERATOR_NAMESPACE, o, e);
    }
    return new Rendered(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Rendered render(List<LogPipeline> pipelines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
         PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit = RenderCommand.render(pipelines, DEFAULT_NAMESPACE, o, e);
    }
    return new Rendered(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static List<Object> documents(String yaml) throws IOException {
    List<Object> docs = new ArrayList<>();
    try (var parser = ConfigFiles.YAML.getFactory().createParser(yaml)) {
      var it = ConfigFiles.YAML.readValues(parser, Object.class);
      while (it.hasNext()) {
        Object doc = it.next();
        if (doc != null) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }
}
