package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.FaultyApiServer;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperMode;
import io.logpipeline.operator.api.ShipperSpec;
import io.logpipeline.operator.api.SourcesSpec;
import io.logpipeline.operator.elastic.InMemoryTemplates;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.KafkaUserModel;
import io.logpipeline.operator.model.SharedShipperModel;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ShipperClasses end to end: the real operator against the mock API server (with a request log
 * and injected faults) and the simulated controllers. Each test uses a class of its own, so each
 * has groups of its own.
 */
class SharedShipperIntegrationTest {

  static final String OPERATOR_NS = "logpipeline-system";
  static final String KAFKA_NS = "kafka";
  static final String AGENT = "operator";
  static final Duration RELOAD_WAIT = Duration.ofSeconds(2);

  static FaultyApiServer server;
  static KubernetesClient client;
  static SimulatedControllers controllers;
  static LogPipelineOperator operator;
  static final InMemoryTemplates search = new InMemoryTemplates();
  /** The Kafka at any kafka.bootstrapServers (the pipelines of these tests use Strimzi's). */
  static final InMemoryKafkaAdmin externalKafka = new InMemoryKafkaAdmin();
  static int restarts;

  @BeforeAll
  static void start() {
    server = FaultyApiServer.start();
    client = server.client();
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    TestLogPipelines.installStrimziKafka(client, "kafka-two");
    controllers = SimulatedControllers.start(server.client("controllers", Duration.ofSeconds(10)), 3);
    operator = startOperator(AGENT);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {operator, controllers, server}) {
      if (c != null) {
        c.close();
      }
    }
  }

  static LogPipelineOperator startOperator(String agent) {
    return LogPipelineOperator.start(server.client(agent, Duration.ofSeconds(5)),
        new SearchClients(c -> search), new KafkaClients(c -> externalKafka),
        LogPipelineOperator.Options.defaults()
            .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withReferenceRecheck(Duration.ofSeconds(1))
            .withShutdownTimeout(Duration.ofSeconds(5))
            .withOperatorNamespace(OPERATOR_NS)
            .withInputReloadWait(RELOAD_WAIT));
  }

  static ShipperClass createClass(String name, Consumer<ShipperClass> edit) {
    ShipperClass cls = new ShipperClass();
    cls.setMetadata(new ObjectMetaBuilder().withName(name).build());
    edit.accept(cls);
    return client.resource(cls).create();
  }

  static LogPipeline pipeline(String ns, String name, String className, Consumer<LogPipeline> edit) {
    if (client.namespaces().withName(ns).get() == null) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    LogPipeline lp = TestLogPipelines.minimal(name, ns, "http://127.0.0.1:9200");
    lp.getSpec().getKafka().setNamespace(KAFKA_NS);
    lp.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    if (className != null) {
      ShipperSpec shipper = new ShipperSpec();
      shipper.setClassName(className);
      lp.getSpec().setShipper(shipper);
    }
    edit.accept(lp);
    return client.resource(lp).create();
  }

  static LogPipeline get(String ns, String name) {
    return client.resources(LogPipeline.class).inNamespace(ns).withName(name).get();
  }

  static ShipperClass getClass(String name) {
    return client.resources(ShipperClass.class).withName(name).get();
  }

  static String condition(LogPipeline lp, String type) {
    var c = lp == null ? null : TestLogPipelines.condition(lp, type);
    return c == null ? null : c.getStatus() + "/" + c.getReason();
  }

  static void awaitReady(String ns, String name) {
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      LogPipeline lp = get(ns, name);
      assertThat(condition(lp, "ShipperConfigured")).as(ns + "/" + name).isEqualTo("True/Configured");
      assertThat(condition(lp, "Ready")).as(ns + "/" + name).isEqualTo("True/Ready");
    });
  }

  static List<DaemonSet> sharedDaemonSets(String cls) {
    return client.apps().daemonSets().inNamespace(OPERATOR_NS)
        .withLabel(SharedShipperModel.LABEL_SHIPPER_CLASS, cls).list().getItems();
  }

  static Map<String, String> inputs(String group) {
    ConfigMap cm = client.configMaps().inNamespace(OPERATOR_NS).withName(SharedShipperModel.inputsName(group)).get();
    return cm == null || cm.getData() == null ? Map.of() : cm.getData();
  }

  static String group(String cls) {
    List<DaemonSet> ds = sharedDaemonSets(cls);
    assertThat(ds).as("shared DaemonSets of " + cls).hasSize(1);
    return ds.get(0).getMetadata().getName();
  }

  @Test
  void threePipelinesInThreeNamespacesShareOneFilebeatAndAddingOneChangesOnlyItsInputs() {
    createClass("three", c -> { });
    for (String ns : List.of("team-a", "team-b", "team-c")) {
      pipeline(ns, "app", "three", lp -> { });
    }
    for (String ns : List.of("team-a", "team-b", "team-c")) {
      awaitReady(ns, "app");
    }
    String group = group("three");
    assertThat(inputs(group)).containsOnlyKeys("team-a.app.yml", "team-b.app.yml", "team-c.app.yml");
    for (String ns : List.of("team-a", "team-b", "team-c")) {
      assertThat(client.apps().daemonSets().inNamespace(ns).list().getItems()).as(ns).isEmpty();
      assertThat(client.configMaps().inNamespace(ns).withLabel("app.kubernetes.io/component", "shipper")
          .list().getItems()).as(ns).isEmpty();
    }
    assertThat(getClass("three").getStatus().getPipelines()).isEqualTo(3);
    DaemonSet before = sharedDaemonSets("three").get(0);

    int mark = server.writeLog(AGENT).size();
    pipeline("team-d", "app", "three", lp -> { });
    awaitReady("team-d", "app");
    List<String> sharedWrites = server.writeLog(AGENT).subList(mark, server.writeLog(AGENT).size()).stream()
        .filter(w -> w.contains("/namespaces/" + OPERATOR_NS + "/") || w.contains("/clusterrole"))
        .toList();
    assertThat(sharedWrites).as("writes to the shared shipper's objects").isNotEmpty()
        .allSatisfy(w -> assertThat(w).endsWith("/configmaps/" + SharedShipperModel.inputsName(group)));
    assertThat(sharedDaemonSets("three").get(0).getSpec().getTemplate())
        .as("the pods are not touched").isEqualTo(before.getSpec().getTemplate());
    assertThat(inputs(group)).hasSize(4);
  }

  @Test
  void twoKafkaClustersAreTwoGroupsAndDeletingTheLastPipelineRemovesItsGroup() {
    createClass("two", c -> { });
    pipeline("two-a", "app", "two", lp -> { });
    pipeline("two-b", "app", "two", lp -> lp.getSpec().getKafka().setNamespace("kafka-two"));
    awaitReady("two-a", "app");
    awaitReady("two-b", "app");
    assertThat(sharedDaemonSets("two")).hasSize(2);

    int mark = server.writeLog(AGENT).size();
    client.resource(get("two-b", "app")).delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(get("two-b", "app")).isNull();
      assertThat(sharedDaemonSets("two")).hasSize(1);
    });
    List<String> writes = server.writeLog(AGENT).subList(mark, server.writeLog(AGENT).size());
    int inputRemoved = indexOf(writes, "PUT", "-inputs");
    int topicDeleted = indexOf(writes, "DELETE", "/kafkatopics/");
    assertThat(inputRemoved).as("the input is taken out: " + writes).isNotNegative();
    assertThat(topicDeleted).as("the topic is deleted: " + writes).isGreaterThan(inputRemoved);
  }

  static int indexOf(List<String> writes, String method, String path) {
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i).startsWith(method + " ") && writes.get(i).contains(path)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void anEditRemovesTheInputWaitsAndAddsItAgainAcrossAnOperatorRestart() throws Exception {
    createClass("edit", c -> { });
    pipeline("edit-a", "app", "edit", lp -> { });
    awaitReady("edit-a", "app");
    String group = group("edit");
    String before = inputs(group).get("edit-a.app.yml");

    TestLogPipelines.edit(client, "edit-a", "app", lp -> lp.getSpec().getSources().setJson(true));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(inputs(group)).as("the old input is out first").doesNotContainKey("edit-a.app.yml"));
    // Stopped while the changed input waits to be added.
    operator.close();
    operator = startOperator(AGENT + "-" + (++restarts));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(inputs(group)).containsKey("edit-a.app.yml");
      assertThat(inputs(group).get("edit-a.app.yml")).isNotEqualTo(before).contains("decode_json_fields");
    });
    awaitReady("edit-a", "app");
  }

  @Test
  void twentyConcurrentCreatesWithConflictsAreAllAdmitted() throws Exception {
    createClass("many", c -> { });
    server.injectFaults(a -> a.startsWith(AGENT), 0.2, List.of(FaultyApiServer.Fault.CONFLICT), 7,
        Duration.ofSeconds(1));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 20; i++) {
        int n = i;
        pool.submit(() -> pipeline("many-" + n, "app", "many", lp -> { }));
      }
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
        for (int i = 0; i < 20; i++) {
          assertThat(condition(get("many-" + i, "app"), "ShipperConfigured")).as("many-" + i)
              .isEqualTo("True/Configured");
        }
      });
    } finally {
      server.stopFaults();
    }
    // The record is written before the ConfigMap (and a write may be refused and retried).
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(inputs(group("many"))).hasSize(20));
    assertThat(getClass("many").getStatus().getPipelines()).isEqualTo(20);
  }

  @Test
  void aDedicatedClassRunsOneDaemonSetPerPipelineInTheOperatorsNamespace() {
    createClass("dedicated", c -> c.getSpec().setMode(ShipperMode.DEDICATED));
    pipeline("ded-a", "app", "dedicated", lp -> { });
    pipeline("ded-b", "app", "dedicated", lp -> { });
    awaitReady("ded-a", "app");
    awaitReady("ded-b", "app");
    assertThat(sharedDaemonSets("dedicated")).hasSize(2)
        .allSatisfy(ds -> assertThat(ds.getMetadata().getNamespace()).isEqualTo(OPERATOR_NS))
        .allSatisfy(ds -> assertThat(ds.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("ShipperClass")));
    for (DaemonSet ds : sharedDaemonSets("dedicated")) {
      assertThat(inputs(ds.getMetadata().getName())).hasSize(1);
    }
    assertThat(client.apps().daemonSets().inNamespace("ded-a").list().getItems()).isEmpty();
  }

  @Test
  void maxPipelinesIsStickyAndDriftIsPutBack() {
    createClass("small", c -> c.getSpec().setMaxPipelines(1));
    pipeline("small-a", "app", "small", lp -> { });
    awaitReady("small-a", "app");
    pipeline("small-b", "app", "small", lp -> { });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(condition(get("small-b", "app"), "ShipperConfigured")).isEqualTo("False/MaxPipelinesExceeded"));
    String group = group("small");
    assertThat(inputs(group)).containsOnlyKeys("small-a.app.yml");

    // Drift: the inputs emptied and the DaemonSet deleted by hand are put back.
    client.configMaps().inNamespace(OPERATOR_NS).withName(SharedShipperModel.inputsName(group))
        .edit(cm -> {
          cm.setData(Map.of());
          return cm;
        });
    client.apps().daemonSets().inNamespace(OPERATOR_NS).withName(group).delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(inputs(group)).containsOnlyKeys("small-a.app.yml");
      assertThat(client.apps().daemonSets().inNamespace(OPERATOR_NS).withName(group).get()).isNotNull();
    });
  }

  @Test
  void aTenantNamingAnotherNamespaceIsRefusedBeforeAnythingIsWritten() {
    createClass("tenancy", c -> c.getSpec().setClusterWideNamespaces(List.of("logging-admin")));
    pipeline("tenant-x", "spy", "tenancy", lp -> {
      SourcesSpec sources = new SourcesSpec();
      sources.setNamespaces(List.of("kube-system"));
      lp.getSpec().setSources(sources);
    });
    pipeline("logging-admin", "all", "tenancy", lp -> {
      SourcesSpec sources = new SourcesSpec();
      sources.setNamespaces(List.of("kube-system"));
      lp.getSpec().setSources(sources);
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(condition(get("tenant-x", "spy"), "Valid")).isEqualTo("False/CrossNamespaceSourceDenied"));
    awaitReady("logging-admin", "all");
    assertThat(inputs(group("tenancy"))).containsOnlyKeys("logging-admin.all.yml");
    assertThat(inputs(group("tenancy")).get("logging-admin.all.yml")).contains("_kube-system_");
    assertThat(client.resources(io.strimzi.api.kafka.model.topic.KafkaTopic.class).inNamespace(KAFKA_NS)
        .withName("logs.tenant-x.spy").get()).as("nothing written for the refused pipeline").isNull();
  }

  static void scram(LogPipeline lp) {
    KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
    auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
    lp.getSpec().getKafka().setAuthentication(auth);
  }

  static List<KafkaUser> groupUsers(String cls) {
    return client.resources(KafkaUser.class).inNamespace(KAFKA_NS)
        .withLabel(SharedShipperModel.LABEL_SHIPPER_CLASS, cls).list().getItems();
  }

  static int lastIndexOf(List<String> writes, String path) {
    for (int i = writes.size() - 1; i >= 0; i--) {
      if (!writes.get(i).startsWith("GET ") && writes.get(i).contains(path) && !writes.get(i).contains("/status")) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void strimziWithScramSharesOneFilebeatWritingAsOneGroupKafkaUserWithExactlyItsTopics() {
    createClass("scram", c -> { });
    List<String> tenants = List.of("scram-a", "scram-b", "scram-c");
    for (String ns : tenants) {
      pipeline(ns, "app", "scram", SharedShipperIntegrationTest::scram);
    }
    for (String ns : tenants) {
      awaitReady(ns, "app");
    }
    String group = group("scram");
    assertThat(inputs(group)).containsOnlyKeys("scram-a.app.yml", "scram-b.app.yml", "scram-c.app.yml");
    KafkaUser user = groupUsers("scram").get(0);
    assertThat(groupUsers("scram")).hasSize(1);
    assertThat(user.getMetadata().getName()).isEqualTo(group);
    assertThat(user.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "my-cluster");
    assertThat(user.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("ShipperClass"));
    assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
    var acls = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
    assertThat(acls).allSatisfy(acl -> {
      assertThat(acl.getOperations()).containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE);
      assertThat(((AclRuleTopicResource) acl.getResource()).getPatternType()).isEqualTo(AclResourcePatternType.LITERAL);
    });
    assertThat(KafkaUserModel.topics(user)).containsExactlyInAnyOrder("logs.scram-a.app", "logs.scram-b.app",
        "logs.scram-c.app");
    for (String ns : tenants) {
      assertThat(client.apps().daemonSets().inNamespace(ns).list().getItems()).as(ns).isEmpty();
      assertThat(client.resources(KafkaUser.class).inNamespace(KAFKA_NS).withName(ns + ".app-shipper").get())
          .as("no shipper KafkaUser of " + ns).isNull();
      assertThat(client.resources(KafkaUser.class).inNamespace(KAFKA_NS).withName(ns + ".app-indexer").get())
          .as("the indexer's stays").isNotNull();
      assertThat(client.secrets().inNamespace(ns).withName("app-kafka-shipper").get()).as(ns).isNull();
    }
    // The group's copy of Strimzi's Secret, mounted by its Filebeats; its value in no ConfigMap.
    Secret copy = client.secrets().inNamespace(OPERATOR_NS).withName(group + "-kafka").get();
    assertThat(copy).isNotNull();
    assertThat(copy.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("ShipperClass"));
    String password = new String(java.util.Base64.getDecoder().decode(copy.getData().get("password")),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(SimulatedUserOperatorSecrets.password(client, KAFKA_NS, group)).isEqualTo(password);
    DaemonSet ds = sharedDaemonSets("scram").get(0);
    assertThat(ds.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
            .isEqualTo(group + "-kafka"));
    assertThat(client.configMaps().inAnyNamespace().list().getItems())
        .allSatisfy(cm -> assertThat(String.valueOf(cm.getData())).doesNotContain(password));

    // A new pipeline's input waits for Strimzi to apply the ACL that names its topic.
    controllers.hold(KAFKA_NS, group);
    pipeline("scram-d", "app", "scram", SharedShipperIntegrationTest::scram);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(condition(get("scram-d", "app"), "ShipperConfigured")).isEqualTo("False/WaitingForKafkaUser");
      assertThat(KafkaUserModel.topics(groupUsers("scram").get(0))).contains("logs.scram-d.app");
    });
    assertThat(condition(get("scram-d", "app"), "BufferReady")).isEqualTo("True/Ready");
    assertThat(inputs(group)).doesNotContainKey("scram-d.app.yml");
    KafkaUser waiting = groupUsers("scram").get(0);
    assertThat(waiting.getStatus().getObservedGeneration()).isLessThan(waiting.getMetadata().getGeneration());
    controllers.healthy(KAFKA_NS, group);
    awaitReady("scram-d", "app");
    assertThat(inputs(group)).containsKey("scram-d.app.yml");

    // Deleting one: its input goes, then its ACL, then its topic.
    String agent = restarts == 0 ? AGENT : AGENT + "-" + restarts;
    int mark = server.writeLog(agent).size();
    client.resource(get("scram-b", "app")).delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get("scram-b", "app")).isNull());
    List<String> writes = server.writeLog(agent).subList(mark, server.writeLog(agent).size());
    int inputRemoved = indexOf(writes, "PUT", "/configmaps/" + SharedShipperModel.inputsName(group));
    int aclRemoved = lastIndexOf(writes, "/kafkausers/" + group);
    int topicDeleted = indexOf(writes, "DELETE", "/kafkatopics/logs.scram-b.app");
    assertThat(inputRemoved).as("the input is taken out: " + writes).isNotNegative();
    assertThat(aclRemoved).as("then the ACL: " + writes).isGreaterThan(inputRemoved);
    assertThat(topicDeleted).as("then the topic: " + writes).isGreaterThan(aclRemoved);
    assertThat(KafkaUserModel.topics(groupUsers("scram").get(0)))
        .containsExactlyInAnyOrder("logs.scram-a.app", "logs.scram-c.app", "logs.scram-d.app");

    // The last one takes the user and the copy with it.
    for (String ns : List.of("scram-a", "scram-c", "scram-d")) {
      client.resource(get(ns, "app")).delete();
    }
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(sharedDaemonSets("scram")).isEmpty();
      assertThat(groupUsers("scram")).isEmpty();
      assertThat(client.secrets().inNamespace(OPERATOR_NS).withName(group + "-kafka").get()).isNull();
    });
  }

  @Test
  void aStrimziPipelineWithScramMovesFromItsOwnDaemonSetAndShipperUserToTheSharedFilebeat() {
    pipeline("move-scram", "app", "scram-mover", lp -> {
      lp.getSpec().getShipper().setClassName(null);
      scram(lp);
    });
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(condition(get("move-scram", "app"), "Ready")).isEqualTo("True/Ready"));
    assertThat(client.apps().daemonSets().inNamespace("move-scram").withName("app-filebeat").get()).isNotNull();
    assertThat(client.resources(KafkaUser.class).inNamespace(KAFKA_NS).withName("move-scram.app-shipper").get())
        .isNotNull();
    assertThat(client.secrets().inNamespace("move-scram").withName("app-kafka-shipper").get()).isNotNull();

    createClass("scram-mover", c -> { });
    String agent = restarts == 0 ? AGENT : AGENT + "-" + restarts;
    int mark = server.writeLog(agent).size();
    TestLogPipelines.edit(client, "move-scram", "app", lp -> lp.getSpec().getShipper().setClassName("scram-mover"));
    awaitReady("move-scram", "app");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(client.apps().daemonSets().inNamespace("move-scram").withName("app-filebeat").get()).isNull();
      assertThat(client.resources(KafkaUser.class).inNamespace(KAFKA_NS).withName("move-scram.app-shipper").get())
          .isNull();
      assertThat(client.secrets().inNamespace("move-scram").withName("app-kafka-shipper").get()).isNull();
    });
    assertThat(KafkaUserModel.topics(groupUsers("scram-mover").get(0))).containsExactly("logs.move-scram.app");
    List<String> writes = server.writeLog(agent).subList(mark, server.writeLog(agent).size());
    int inputAdded = indexOf(writes, "PUT", "/configmaps/" + SharedShipperModel.inputsName(group("scram-mover")));
    int ownDeleted = indexOf(writes, "DELETE", "/namespaces/move-scram/daemonsets/app-filebeat");
    int ownUserDeleted = indexOf(writes, "DELETE", "/kafkausers/move-scram.app-shipper");
    assertThat(inputAdded).as("shared input written: " + writes).isNotNegative();
    assertThat(ownDeleted).as("own DaemonSet deleted after the shared input is live: " + writes)
        .isGreaterThan(inputAdded);
    assertThat(ownUserDeleted).as("own shipper KafkaUser deleted after the shared input is live: " + writes)
        .isGreaterThan(inputAdded);
  }

  @Test
  void anExternalKafkaWithTheTenantsCredentialsGetsAFilebeatOfItsOwnInTheOperatorsNamespace() {
    createClass("external", c -> { });
    pipeline("ext-a", "app", "external", lp -> {
      var kafka = lp.getSpec().getKafka();
      kafka.setCluster(null);
      kafka.setNamespace(null);
      kafka.setBootstrapServers("kafka.example.com:9092");
      KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
      auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
      auth.setShipperSecret(ref("kafka-shipper"));
      auth.setIndexerSecret(ref("kafka-indexer"));
      kafka.setAdminSecret(ref("kafka-admin"));
      kafka.setAuthentication(auth);
      for (String name : List.of("kafka-shipper", "kafka-indexer", "kafka-admin")) {
        client.secrets().inNamespace("ext-a").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
            .withNewMetadata().withName(name).endMetadata()
            .withStringData(Map.of("username", "ext-a-" + name, "password", "pw-of-" + name)).build()).create();
      }
    });
    pipeline("ext-b", "app", "external", lp -> {
      var kafka = lp.getSpec().getKafka();
      kafka.setCluster(null);
      kafka.setNamespace(null);
      kafka.setBootstrapServers("kafka.example.com:9092");
    });
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(condition(get("ext-a", "app"), "ShipperConfigured")).isEqualTo("True/OwnKafkaCredentials");
      assertThat(condition(get("ext-a", "app"), "Ready")).isEqualTo("True/Ready");
    });
    awaitReady("ext-b", "app");
    // Two DaemonSets in the operator's namespace: the tenant's credentials are never shared.
    List<DaemonSet> daemonSets = sharedDaemonSets("external");
    assertThat(daemonSets).hasSize(2)
        .allSatisfy(ds -> assertThat(ds.getMetadata().getNamespace()).isEqualTo(OPERATOR_NS));
    assertThat(client.apps().daemonSets().inNamespace("ext-a").list().getItems()).isEmpty();
    DaemonSet own = daemonSets.stream().filter(ds -> inputs(ds.getMetadata().getName()).containsKey("ext-a.app.yml"))
        .findFirst().orElseThrow();
    assertThat(inputs(own.getMetadata().getName())).containsOnlyKeys("ext-a.app.yml");
    assertThat(inputs(own.getMetadata().getName()).get("ext-a.app.yml")).contains("_ext-a_")
        .doesNotContain("pw-of-");
    Secret copy = client.secrets().inNamespace(OPERATOR_NS).withName(own.getMetadata().getName() + "-kafka").get();
    assertThat(copy).isNotNull();
    assertThat(new String(java.util.Base64.getDecoder().decode(copy.getData().get("password")),
        java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("pw-of-kafka-shipper");
    assertThat(client.secrets().inNamespace("ext-a").withName("app-kafka-shipper").get()).isNull();
    assertThat(client.configMaps().inAnyNamespace().list().getItems())
        .allSatisfy(cm -> assertThat(String.valueOf(cm.getData())).doesNotContain("pw-of-"));

    client.resource(get("ext-a", "app")).delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(get("ext-a", "app")).isNull();
      assertThat(sharedDaemonSets("external")).hasSize(1);
      assertThat(client.secrets().inNamespace(OPERATOR_NS).withName(own.getMetadata().getName() + "-kafka").get())
          .isNull();
    });
  }

  static io.logpipeline.operator.api.KafkaCredentialsRef ref(String name) {
    var ref = new io.logpipeline.operator.api.KafkaCredentialsRef();
    ref.setName(name);
    return ref;
  }

  /** Reads what Strimzi's (simulated) User Operator wrote. */
  static final class SimulatedUserOperatorSecrets {
    static String password(KubernetesClient client, String ns, String name) {
      Secret s = client.secrets().inNamespace(ns).withName(name).get();
      return new String(java.util.Base64.getDecoder().decode(s.getData().get("password")),
          java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void aPipelineMovesFromItsOwnDaemonSetToTheSharedOneWithoutAGap() {
    pipeline("move", "app", "mover", lp -> lp.getSpec().getShipper().setClassName(null));
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(condition(get("move", "app"), "Ready")).isEqualTo("True/Ready"));
    assertThat(client.apps().daemonSets().inNamespace("move").withName("app-filebeat").get()).isNotNull();

    createClass("mover", c -> c.getSpec().setMode(ShipperMode.SHARED));
    int mark = server.writeLog(AGENT).size();
    TestLogPipelines.edit(client, "move", "app", lp -> lp.getSpec().getShipper().setClassName("mover"));
    awaitReady("move", "app");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client.apps().daemonSets().inNamespace("move").withName("app-filebeat").get()).isNull());
    List<String> writes = server.writeLog(AGENT).subList(mark, server.writeLog(AGENT).size());
    int inputAdded = -1;
    for (int i = 0; i < writes.size(); i++) {
      if (writes.get(i).contains("/namespaces/" + OPERATOR_NS + "/configmaps")) {
        inputAdded = i;
      }
    }
    int ownDeleted = indexOf(writes, "DELETE", "/namespaces/move/daemonsets/app-filebeat");
    assertThat(inputAdded).as("shared input written: " + writes).isNotNegative();
    assertThat(ownDeleted).as("own DaemonSet deleted after the shared input is live: " + writes)
        .isGreaterThan(inputAdded);
  }
}
