package io.logpipeline.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

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
  void aTopicNamedByTwoPipelinesIsTheOnesWhoseDefaultItIs() throws Exception {
    Path file = dir.resolve("topics.yaml");
    String pipeline = """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: %s, namespace: %s}
        spec:
          kafka: {cluster: my-cluster, namespace: kafka%s}
          elasticsearch: {hosts: ["https://es:9200"]}
        """;
    Run run = render("topics.yaml", pipeline.formatted("evil", "team-a", ", topic: {name: logs.team-b.web}")
        + "---\n" + pipeline.formatted("web", "team-b", ""));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains(file + ":5: LogPipeline team-a/evil: spec.kafka.topic.name: topic"
        + " logs.team-b.web on this Kafka belongs to LogPipeline team-b/web");
    assertThat(ofKind(objects(run.out()), "KafkaTopic")).hasSize(1);
    assertNoJava(run);
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
        file + ":6: expected kind LogPipeline or ShipperClass, apiVersion logpipeline.io/v1alpha1;"
            + " found kind ConfigMap, apiVersion v1",
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

  // ---------------------------------------------------------------- shipper classes

  private static final String CLASS_SHARED = """
      apiVersion: logpipeline.io/v1alpha1
      kind: ShipperClass
      metadata: {name: shared}
      spec: {mode: Shared}
      """;

  private static String pipeline(String namespace, String name, String extraSpec) {
    return """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: %s, namespace: %s}
        spec:
          %s
          kafka: {cluster: my-cluster, namespace: kafka}
          elasticsearch:
            hosts: ["https://es:9200"]
            lifecycle: {deleteAfter: 7d}
        """.formatted(name, namespace, extraSpec);
  }

  private static String scram(String pipeline) {
    return pipeline.replace("kafka: {cluster: my-cluster, namespace: kafka}",
        "kafka: {cluster: my-cluster, namespace: kafka, tls: {}, authentication: {type: scram-sha-512}}");
  }

  /** The Kubernetes objects of the output, as maps (the template requests left out). */
  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> objects(String out) {
    List<Map<String, Object>> objects = new ArrayList<>();
    new Load(LoadSettings.builder().build()).loadAllFromString(out).forEach(d -> {
      if (d instanceof Map<?, ?> m && m.containsKey("kind")) {
        objects.add((Map<String, Object>) m);
      }
    });
    return objects;
  }

  private static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    return (Map<String, Object>) object.get("metadata");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> data(Map<String, Object> configMap) {
    return (Map<String, String>) configMap.get("data");
  }

  @Test
  void aSharedClassRendersOneFilebeatForTwoTenantsInTheOperatorNamespace() throws Exception {
    Run run = render("tenants.yaml", String.join("---\n", CLASS_SHARED,
        pipeline("team-a", "orders", "shipper: {className: shared}"),
        pipeline("team-b", "billing", "shipper: {className: shared}")));
    assertThat(run.err()).doesNotContain("error");
    assertThat(run.exit()).isZero();
    List<Map<String, Object>> objects = objects(run.out());

    List<Map<String, Object>> daemonSets = ofKind(objects, "DaemonSet");
    assertThat(daemonSets).singleElement().satisfies(ds -> {
      assertThat(metadata(ds)).containsEntry("namespace", RenderCommand.OPERATOR_NAMESPACE);
      assertThat((String) metadata(ds).get("name")).startsWith("lp-shipper-shared-");
    });
    String group = (String) metadata(daemonSets.get(0)).get("name");
    List<Map<String, Object>> inputs = ofKind(objects, "ConfigMap").stream()
        .filter(cm -> metadata(cm).get("name").equals(group + "-inputs")).toList();
    assertThat(inputs).singleElement().satisfies(cm -> {
      assertThat(metadata(cm)).containsEntry("namespace", RenderCommand.OPERATOR_NAMESPACE);
      assertThat(data(cm)).containsOnlyKeys("team-a.orders.yml", "team-b.billing.yml");
      // Tenancy: each input reads its own namespace's files only.
      assertThat(data(cm).get("team-a.orders.yml")).contains("/var/log/containers/*_team-a_*.log")
          .doesNotContain("_team-b_");
      assertThat(data(cm).get("team-b.billing.yml")).contains("/var/log/containers/*_team-b_*.log");
    });
    assertThat(ofKind(objects, "ConfigMap")).anySatisfy(cm -> {
      assertThat(metadata(cm)).containsEntry("name", group);
      assertThat(data(cm).get("filebeat.yml")).contains("reload.enabled");
    });
    assertThat(ofKind(objects, "ServiceAccount")).singleElement()
        .satisfies(sa -> assertThat(metadata(sa)).containsEntry("namespace", RenderCommand.OPERATOR_NAMESPACE));
    assertThat(ofKind(objects, "ClusterRole")).hasSize(1);
    assertThat(ofKind(objects, "ClusterRoleBinding")).hasSize(1);
    // No Filebeat object of a pipeline's own, in any tenant namespace; the Logstash of each stays.
    assertThat(objects).noneSatisfy(o -> assertThat((String) metadata(o).get("name")).endsWith("-filebeat"));
    assertThat(ofKind(objects, "StatefulSet")).extracting(o -> metadata(o).get("namespace"))
        .containsExactly("team-a", "team-b");

    Run elsewhere = run("render", "--operator-namespace", "ops", dir.resolve("tenants.yaml").toString());
    assertThat(ofKind(objects(elsewhere.out()), "DaemonSet")).singleElement()
        .satisfies(ds -> assertThat(metadata(ds)).containsEntry("namespace", "ops"));
  }

  @Test
  void theDefaultClassIsTheAnnotatedOneAndTenancyIsChecked() throws Exception {
    String defaultClass = """
        apiVersion: logpipeline.io/v1alpha1
        kind: ShipperClass
        metadata:
          name: default
          annotations: {logpipeline.io/default-class: "true"}
        """;
    Run run = render("default.yaml", String.join("---\n", defaultClass, pipeline("team-a", "orders", "")));
    assertThat(run.exit()).isZero();
    List<Map<String, Object>> objects = objects(run.out());
    assertThat(ofKind(objects, "DaemonSet")).singleElement().satisfies(ds ->
        assertThat((String) metadata(ds).get("name")).startsWith("lp-shipper-default-"));
    assertThat(objects).noneSatisfy(o -> assertThat((String) metadata(o).get("name")).endsWith("-filebeat"));

    Path file = dir.resolve("denied.yaml");
    Run denied = render("denied.yaml", String.join("---\n", defaultClass,
        pipeline("team-a", "spy", "sources: {namespaces: [kube-system]}")));
    assertThat(denied.exit()).isEqualTo(1);
    assertThat(denied.err()).startsWith(file + ":11: LogPipeline team-a/spy: spec.sources.namespaces: "
        + "CrossNamespaceSourceDenied: kube-system");
    assertNoJava(denied);
  }

  @Test
  void aDedicatedClassRendersOneFilebeatPerPipelineAndCredentialsKeepTheirOwn() throws Exception {
    String dedicated = """
        apiVersion: logpipeline.io/v1alpha1
        kind: ShipperClass
        metadata: {name: isolated}
        spec: {mode: Dedicated}
        """;
    Run run = render("dedicated.yaml", String.join("---\n", dedicated,
        pipeline("team-a", "orders", "shipper: {className: isolated}"),
        pipeline("team-b", "billing", "shipper: {className: isolated}")));
    assertThat(run.exit()).isZero();
    List<Map<String, Object>> objects = objects(run.out());
    List<Map<String, Object>> daemonSets = ofKind(objects, "DaemonSet");
    assertThat(daemonSets).hasSize(2).allSatisfy(ds ->
        assertThat(metadata(ds)).containsEntry("namespace", RenderCommand.OPERATOR_NAMESPACE));
    assertThat(ofKind(objects, "ConfigMap")).filteredOn(cm -> ((String) metadata(cm).get("name")).endsWith("-inputs"))
        .hasSize(2).allSatisfy(cm -> assertThat(data(cm)).hasSize(1));
    assertThat(objects).noneSatisfy(o -> assertThat((String) metadata(o).get("name")).endsWith("-filebeat"));
  }

  @Test
  void aPipelineWithTheTenantsKafkaCredentialsGetsAFilebeatOfItsOwnInTheOperatorsNamespace() throws Exception {
    Run run = render("scram.yaml", String.join("---\n", CLASS_SHARED,
        pipeline("team-a", "orders", "shipper: {className: shared}"),
        """
        apiVersion: logpipeline.io/v1alpha1
        kind: LogPipeline
        metadata: {name: secure, namespace: team-c}
        spec:
          shipper: {className: shared}
          kafka:
            bootstrapServers: "b-1.msk:9096"
            tls: {}
            authentication:
              type: scram-sha-512
              shipperSecret: {name: msk-shipper}
              indexerSecret: {name: msk-indexer}
            adminSecret: {name: msk-operator}
          elasticsearch:
            hosts: ["https://es:9200"]
            lifecycle: {deleteAfter: 7d}
        """));
    assertThat(run.err()).doesNotContain(": spec.");
    assertThat(run.exit()).isZero();
    List<Map<String, Object>> objects = objects(run.out());
    assertThat(ofKind(objects, "DaemonSet"))
        .extracting(ds -> (String) metadata(ds).get("namespace"))
        .containsExactly("logpipeline-system", "logpipeline-system");
    assertThat(ofKind(objects, "ConfigMap")).filteredOn(cm -> data(cm) != null && data(cm).containsKey("team-c.secure.yml"))
        .singleElement().satisfies(cm -> {
          assertThat(data(cm)).containsOnlyKeys("team-c.secure.yml");
          assertThat(data(cm).get("team-c.secure.yml")).contains("/var/log/containers/*_team-c_*.log");
        });
    assertThat(run.out()).contains("-kafka").doesNotContain("secure-filebeat");
  }

  @Test
  void aStrimziPipelineWithScramIsInTheSharedFilebeatWithTheGroupsKafkaUser() throws Exception {
    Run run = render("strimzi.yaml", String.join("---\n", CLASS_SHARED,
        scram(pipeline("team-a", "orders", "shipper: {className: shared}")),
        scram(pipeline("team-b", "orders", "shipper: {className: shared}"))));
    assertThat(run.err()).doesNotContain(": spec.");
    assertThat(run.exit()).isZero();
    List<Map<String, Object>> objects = objects(run.out());
    assertThat(ofKind(objects, "DaemonSet")).singleElement()
        .satisfies(ds -> assertThat(metadata(ds).get("namespace")).isEqualTo("logpipeline-system"));
    assertThat(ofKind(objects, "KafkaUser")).extracting(u -> (String) metadata(u).get("name"))
        .containsExactlyInAnyOrder("team-a.orders-indexer", "team-b.orders-indexer",
            (String) metadata(ofKind(objects, "DaemonSet").get(0)).get("name"));
    Map<String, Object> groupUser = ofKind(objects, "KafkaUser").stream()
        .filter(u -> metadata(u).get("name").equals(metadata(ofKind(objects, "DaemonSet").get(0)).get("name")))
        .findFirst().orElseThrow();
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> acls = (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>)
        groupUser.get("spec")).get("authorization")).get("acls");
    assertThat(acls).extracting(acl -> (Object) ((Map<?, ?>) acl.get("resource")).get("name"))
        .containsExactly("logs.team-a.orders", "logs.team-b.orders");
  }

  @Test
  void aClassThatIsNotInTheInputIsAnErrorThatSaysToPassIt() throws Exception {
    Path file = dir.resolve("missing.yaml");
    Run run = render("missing.yaml", pipeline("team-a", "orders", "shipper: {className: gold}"));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).containsExactly(file + ":5: LogPipeline team-a/orders: spec.shipper.className:"
        + " ShipperClass gold is not in the input: pass the file with the ShipperClass too (kubectl get"
        + " shipperclass gold -o yaml), or leave spec.shipper.className out for the default class");
  }

  @Test
  void pipelinesBeyondMaxPipelinesAreRenderedWithoutTheirInputAndWarnedAbout() throws Exception {
    Run run = render("full.yaml", String.join("---\n", """
        apiVersion: logpipeline.io/v1alpha1
        kind: ShipperClass
        metadata: {name: small}
        spec: {maxPipelines: 1}
        """,
        pipeline("team-a", "first", "shipper: {className: small}"),
        pipeline("team-b", "second", "shipper: {className: small}")));
    assertThat(run.exit()).isZero();
    assertThat(run.err().lines()).filteredOn(l -> l.contains("ShipperClass small")).containsExactly(
        dir.resolve("full.yaml") + ":20: LogPipeline team-b/second: warning: ShipperClass small would keep it"
            + " waiting (MaxPipelinesExceeded: maxPipelines 1, maxConfigBytes 524288); its input is not rendered");
    assertThat(ofKind(objects(run.out()), "ConfigMap"))
        .filteredOn(cm -> ((String) metadata(cm).get("name")).endsWith("-inputs"))
        .singleElement().satisfies(cm -> assertThat(data(cm)).containsOnlyKeys("team-a.first.yml"));
  }

  @Test
  void helpSaysHowClassesAndAdmissionAreRendered() {
    Run help = run("render", "--help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--operator-namespace", "logpipeline-system", "ShipperClasses",
        "as admitted", "maxPipelines");
  }

  @Test
  void anUnreadableShipperClassNamesTheFileLineAndField() throws Exception {
    Path file = dir.resolve("class.yaml");
    Run run = render("class.yaml", """
        apiVersion: logpipeline.io/v1alpha1
        kind: ShipperClass
        metadata: {name: shared}
        spec:
          maxPipelines: 10
          mode: Sometimes
        """);
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().satisfies(l -> assertThat(l)
        .startsWith(file + ":6: ShipperClass spec.mode: unreadable: ").contains("\"Sometimes\"", "Shared, Dedicated"));
    assertNoJava(run);
  }

  @Test
  void theClassMayComeInAFileOfItsOwnAndProblemsNameTheirFile() throws Exception {
    Path classes = dir.resolve("classes.yaml");
    Files.writeString(classes, CLASS_SHARED);
    Path pipelines = dir.resolve("pipelines.yaml");
    Files.writeString(pipelines, String.join("---\n",
        pipeline("team-a", "orders", "shipper: {className: shared}"),
        pipeline("team-b", "spy", "shipper: {className: shared}\n  sources: {namespaces: [team-a]}")));
    Run run = run("render", classes.toString(), pipelines.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err().lines()).singleElement().satisfies(l -> assertThat(l)
        .startsWith(pipelines + ":16: LogPipeline team-b/spy: spec.sources.namespaces: CrossNamespaceSourceDenied"));
    assertThat(ofKind(objects(run.out()), "DaemonSet")).singleElement().satisfies(ds ->
        assertThat((String) metadata(ds).get("name")).startsWith("lp-shipper-shared-"));

    Run withoutTheClass = run("render", pipelines.toString());
    assertThat(withoutTheClass.exit()).isEqualTo(1);
    assertThat(withoutTheClass.err()).contains(pipelines + ":5: LogPipeline team-a/orders: spec.shipper.className:");
  }

  @Test
  void classesAsKubectlPrintsThemAreRead() throws Exception {
    Path classes = dir.resolve("classes.yaml");
    // kubectl get shipperclasses -o yaml: a List, with the cluster's metadata and status.
    Files.writeString(classes, """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: logpipeline.io/v1alpha1
          kind: ShipperClass
          metadata:
            annotations: {logpipeline.io/default-class: "true"}
            creationTimestamp: "2026-11-30T10:00:00Z"
            generation: 3
            name: default
            resourceVersion: "4711"
            uid: 0b5c1f2e-0000-4000-8000-000000000001
          spec: {mode: Shared, maxPipelines: 50, clusterWideNamespaces: [logging]}
          status:
            observedGeneration: 3
            pipelines: 1
            groups:
            - name: lp-shipper-default-00000000
              bootstrapServers: other:9092
              pipelines:
              - {pipeline: elsewhere/old, state: Configured, since: "2026-11-30T10:00:00Z"}
        - apiVersion: logpipeline.io/v1alpha1
          kind: ShipperClass
          metadata: {name: isolated}
          spec: {mode: Sometimes}
        metadata: {resourceVersion: ""}
        """);
    Run bad = render("p.yaml", pipeline("team-a", "orders", ""));
    assertThat(bad.exit()).isZero();
    Run run = run("render", classes.toString(), dir.resolve("p.yaml").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo(classes + ":25: ShipperClass spec.mode: unreadable: Cannot deserialize value"
        + " of type ShipperMode from String \"Sometimes\": not one of the values accepted for Enum class:"
        + " [Shared, Dedicated] (see kubectl explain shipperclass.spec)" + System.lineSeparator());

    Files.writeString(classes, Files.readString(classes).replace("mode: Sometimes", "mode: Dedicated"));
    run = run("render", classes.toString(), dir.resolve("p.yaml").toString());
    assertThat(run.exit()).isZero();
    // The cluster's record of other pipelines is not rendered: only the input's pipeline.
    assertThat(ofKind(objects(run.out()), "ConfigMap"))
        .filteredOn(cm -> ((String) metadata(cm).get("name")).endsWith("-inputs"))
        .singleElement().satisfies(cm -> assertThat(data(cm)).containsOnlyKeys("team-a.orders.yml"));
  }
}
