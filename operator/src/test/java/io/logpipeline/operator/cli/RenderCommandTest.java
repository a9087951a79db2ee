package io.logpipeline.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code render FILE} as a user runs it in CI: exit 1, and for each problem one line with the
 * file, the line of the field, the pipeline, the field and what is wrong; no Java.
 */
class RenderCommandTest {

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  private Run render(String fileName, String yaml) throws Exception {
    Path file = dir.resolve(fileName);
    Files.writeString(file, yaml);
    return run("render", file.toString());
  }

  private static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.execute(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  private static void assertNoJava(Run run) {
    assertThat(run.err()).doesNotContain("Exception", "\tat ", "io.logpipeline", "java.", "class ",
        "Source:");
  }

  @Test
  void readingErrorsNameTheFileLineAndFieldAndExit1() throws Exception {
    Path file = dir.resolve("pipelines.yaml");
    Run run = render("pipelines.yaml", """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata:
          name: payments
          namespace: logging
        spec:
          deletionPolicy: Purge
          kafka:
            cluster: my-cluster
          elasticsearch:
            hosts: ["https://es-http.elastic.svc:9200"]
            indexPrefix: app
        """);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).satisfiesExactly(
        l -> assertThat(l).isEqualTo(file + ":7: LogPipeline logging/payments: spec.deletionPolicy:"
            + " 'Purge' is not one of Delete, Retain"),
        l -> assertThat(l).startsWith(file + ":12: LogPipeline logging/payments:"
            + " spec.elasticsearch.indexPrefix: unknown field (known: hosts, flavor, credentialsSecret, tls,"));
    assertNoJava(run);
  }

  @Test
  void validationErrorsNameTheLineToo() throws Exception {
    Path file = dir.resolve("p.yaml");
    Run run = render("p.yaml", """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: a, namespace: logging}
        spec:
          sources:
            podSelector:
              matchExpressions:
              - {key: tier, operator: In, values: [api]}
              - {key: app, operator: Maybe}
          kafka: {cluster: my-cluster}
          elasticsearch: {hosts: ["https://es:9200"]}
        ---
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: b, namespace: logging}
        spec:
          kafka: {cluster: my-cluster}
        """);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines()).containsExactly(
        file + ":9: LogPipeline logging/a: spec.sources.podSelector.matchExpressions[1].operator: 'Maybe'"
            + " is not an operator: use In, NotIn, Exists or DoesNotExist",
        // Missing: the line of the nearest parent there is.
        file + ":16: LogPipeline logging/b: spec.elasticsearch.hosts: is required: at least one URL such as"
            + " https://es-http.elastic.svc:9200");
  }

  @Test
  void brokenYamlIsReportedWithItsLine() throws Exception {
    Path file = dir.resolve("broken.yaml");
    Run run = render("broken.yaml", """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: a}
        spec:
          kafka: {cluster: a
          elasticsearch: x: y
        """);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith(file + ":6: not valid YAML: ");
    assertNoJava(run);
  }

  @Test
  void otherKindsAndMissingFilesAreSaidPlainly() throws Exception {
    Path file = dir.resolve("cm.yaml");
    Run run = render("cm.yaml", """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: a}
        spec: {kafka: {cluster: a}, elasticsearch: {hosts: ["https://es:9200"]}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: b}
        ---
        just text
        """);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly(
        file + ":6: expected kind LogPipeline, apiVersion logpipeline.io/v1alpha1; found kind ConfigMap, apiVersion v1",
        file + ":10: not a Kubernetes object: expected apiVersion, kind, metadata and spec");

    Run missing = run("render", dir.resolve("nothing.yaml").toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).isEqualTo(dir.resolve("nothing.yaml") + ": no such file" + System.lineSeparator());
  }

  @Test
  void aValidFileRendersAndExits0WithItsWarningsLocatedToo() throws Exception {
    Path file = dir.resolve("ok.yaml");
    Run run = render("ok.yaml", """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: a, namespace: logging}
        spec:
          kafka: {cluster: my-cluster}
          elasticsearch:
            hosts: ["https://es:9200"]
        """);
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("kind: \"DaemonSet\"").contains("name: \"a-filebeat\"");
    assertThat(run.err().lines()).isNotEmpty().allSatisfy(l ->
        assertThat(l).matches(java.util.regex.Pattern.quote(file.toString())
            + ":\\d+: LogPipeline logging/a: warning: spec\\..*"));
    assertNoJava(run);
  }
}
