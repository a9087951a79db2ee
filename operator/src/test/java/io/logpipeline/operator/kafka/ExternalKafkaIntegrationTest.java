package io.logpipeline.operator.kafka;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.api.KafkaTlsSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import io.logpipeline.operator.reconciler.PipelineHealth;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Kafka that Strimzi does not run, through the real operator (mock API server) and the real
 * broker: the topic's lifecycle through the admin API with exactly the ACLs docs/install.md
 * grants the operator's user, the conditions of the failures a user can fix, and no secret in a
 * ConfigMap, the status, an Event or a log line.
 */
@EnableKubernetesMockClient(crud = true)
class ExternalKafkaIntegrationTest {

  static final String NS = "logging";
  /** The ACLs docs/install.md gives the operator's Kafka user, on the topics' prefix. */
  static final List<AclOperation> OPERATOR_ACLS = List.of(AclOperation.CREATE, AclOperation.DESCRIBE,
      AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS, AclOperation.ALTER, AclOperation.DELETE);

  static KubernetesClient client;
  static KafkaBroker broker;
  static Admin kafka;
  static LogPipelineOperator operator;
  static SimulatedControllers controllers;
  static final ConcurrentLinkedQueue<String> logLines = new ConcurrentLinkedQueue<>();
  static AbstractAppender capture;
  static String adminPassword;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.shared();
    kafka = broker.superAdmin();
    adminPassword = StrimziUserOperator.password();
    operatorUser("lp-operator", adminPassword, OPERATOR_ACLS);
    operatorUser("lp-operator-describe-only", adminPassword, List.of(AclOperation.DESCRIBE));
    client.secrets().inNamespace(NS).resource(secret("kafka-ca", Map.of("ca.crt", broker.authority().caPem()))).create();
    client.secrets().inNamespace(NS).resource(secret("kafka-admin",
        Map.of("username", "lp-operator", "password", adminPassword))).create();
    client.secrets().inNamespace(NS).resource(secret("kafka-admin-describe-only",
        Map.of("username", "lp-operator-describe-only", "password", adminPassword))).create();
    client.secrets().inNamespace(NS).resource(secret("kafka-admin-wrong",
        Map.of("username", "lp-operator", "password", "not-the-password"))).create();
    for (String role : List.of("shipper", "indexer")) {
      client.secrets().inNamespace(NS).resource(secret("kafka-" + role,
          Map.of("username", role, "password", adminPassword + "-" + role))).create();
    }
    capture = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
      @Override
      public void append(LogEvent event) {
        logLines.add(event.getMessage().getFormattedMessage()
            + (event.getThrown() == null ? "" : " " + event.getThrown()));
      }
    };
    capture.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().addAppender(capture, org.apache.logging.log4j.Level.ALL, null);
    context.getConfiguration().getLoggerConfig("io.logpipeline").addAppender(capture, org.apache.logging.log4j.Level.ALL, null);
    context.updateLoggers();
    controllers = SimulatedControllers.start(client, 2);
    operator = LogPipelineOperator.start(client, InMemorySearch.clients(),
        LogPipelineOperator.Options.defaults().withRetry(Duration.ofMillis(500), Duration.ofSeconds(4))
            .withReferenceRecheck(Duration.ofSeconds(1)).withTemplateRecheck(Duration.ofSeconds(5)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (controllers != null) {
      controllers.close();
    }
    if (kafka != null) {
      kafka.close();
    }
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().getRootLogger().removeAppender("capture");
    context.getConfiguration().getLoggerConfig("io.logpipeline").removeAppender("capture");
    context.updateLoggers();
  }

  static void operatorUser(String name, String password, List<AclOperation> operations) throws Exception {
    StrimziUserOperator.scram(kafka, name, password);
    ResourcePattern topics = new ResourcePattern(ResourceType.TOPIC, "logs.", PatternType.PREFIXED);
    kafka.createAcls(operations.stream().map(op -> new AclBinding(topics,
        new AccessControlEntry("User:" + name, "*", op, AclPermissionType.ALLOW))).toList()).all().get();
  }

  static Secret secret(String name, Map<String, String> values) {
    var data = new java.util.LinkedHashMap<String, String>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
  }

  static KafkaCredentialsRef ref(String name) {
    KafkaCredentialsRef ref = new KafkaCredentialsRef();
    ref.setName(name);
    return ref;
  }

  /** An external pipeline on the SCRAM listener, with the CA from a Secret. */
  static LogPipeline scram(String name, String adminSecret) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, "https://es-http.elastic.svc:9200");
    var k = lp.getSpec().getKafka();
    k.setCluster(null);
    k.setBootstrapServers(broker.scram());
    KafkaTlsSpec tls = new KafkaTlsSpec();
    SecretKeySpec ca = new SecretKeySpec();
    ca.setName("kafka-ca");
    tls.setCaSecret(ca);
    k.setTls(tls);
    KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
    auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
    auth.setShipperSecret(ref("kafka-shipper"));
    auth.setIndexerSecret(ref("kafka-indexer"));
    k.setAuthentication(auth);
    k.setAdminSecret(ref(adminSecret));
    k.getTopic().setPartitions(2);
    k.getTopic().setReplicas(1);
    k.getTopic().setRetention("1d");
    lp.getSpec().setDeletionPolicy(DeletionPolicy.Delete);
    return lp;
  }

  static LogPipeline current(String name) {
    return client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
  }

  static void awaitBuffer(String name, String status, String reason) {
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      LogPipeline lp = current(name);
      assertThat(lp.getStatus()).isNotNull();
      var buffer = TestLogPipelines.condition(lp, PipelineHealth.BUFFER_READY);
      assertThat(buffer.getStatus()).as(buffer.getMessage()).isEqualTo(status);
      assertThat(buffer.getReason()).as(buffer.getMessage()).isEqualTo(reason);
      assertThat(buffer.getObservedGeneration()).isEqualTo(lp.getMetadata().getGeneration());
    });
  }

  static org.apache.kafka.clients.admin.TopicDescription describe(String topic) throws Exception {
    return kafka.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
  }

  static String config(String topic, String key) throws Exception {
    ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return kafka.describeConfigs(List.of(r)).all().get().get(r).get(key).value();
  }

  @Test
  void theTopicsLifecycleWithTheOperatorsLeastAcls() throws Exception {
    String topic = "logs.logging.orders";
    client.resource(scram("orders", "kafka-admin")).create();
    awaitBuffer("orders", "True", "Ready");
    assertThat(describe(topic).partitions()).hasSize(2);
    assertThat(config(topic, "retention.ms")).isEqualTo("86400000");
    assertThat(config(topic, "cleanup.policy")).isEqualTo("delete");
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
        assertThat(current("orders").getStatus().getPhase()).isIn(Phase.Ready, Phase.Degraded));

    // A config someone else set on the topic is not the operator's: it stays.
    kafka.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
        List.of(new AlterConfigOp(new ConfigEntry("max.compaction.lag.ms", "3600000"), AlterConfigOp.OpType.SET))))
        .all().get();
    TestLogPipelines.edit(client, NS, "orders", lp -> {
      lp.getSpec().getKafka().getTopic().setRetention("2d");
      lp.getSpec().getKafka().getTopic().setPartitions(3);
    });
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(config(topic, "retention.ms")).isEqualTo("172800000");
      assertThat(describe(topic).partitions()).hasSize(3);
    });
    awaitBuffer("orders", "True", "Ready");
    assertThat(config(topic, "max.compaction.lag.ms")).isEqualTo("3600000");

    // Fewer partitions than the topic has: reported, not fought (the CRD refuses it; an old one might not).
    TestLogPipelines.edit(client, NS, "orders", lp -> {
      lp.getSpec().getKafka().getTopic().setPartitions(2);
    });
    awaitBuffer("orders", "False", "PartitionsCannotShrink");
    assertThat(TestLogPipelines.condition(current("orders"), PipelineHealth.BUFFER_READY).getMessage())
        .contains("has 3 partitions").contains("spec.kafka.topic.partitions");
    assertThat(describe(topic).partitions()).hasSize(3);

    // Copies of the user's Secrets for the pods; nothing secret anywhere else.
    Secret copy = client.secrets().inNamespace(NS).withName("orders-kafka-indexer").get();
    assertThat(new String(Base64.getDecoder().decode(copy.getData().get("sasl.jaas.config")), StandardCharsets.UTF_8))
        .contains("username=\"indexer\"");
    assertNoSecretOutsideSecrets(adminPassword);

    client.resource(current("orders")).delete();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      assertThat(current("orders")).isNull();
      assertThat(kafka.listTopics().names().get()).doesNotContain(topic);
    });
  }

  @Test
  void anUnreachableBootstrapIsACondition() throws Exception {
    LogPipeline lp = scram("nowhere", "kafka-admin");
    lp.getSpec().getKafka().setBootstrapServers("127.0.0.1:" + closedPort());
    client.resource(lp).create();
    awaitBuffer("nowhere", "False", "Unreachable");
    LogPipeline seen = current("nowhere");
    assertThat(TestLogPipelines.condition(seen, PipelineHealth.BUFFER_READY).getMessage())
        .contains("spec.kafka.bootstrapServers");
    // The other stages do not wait for Kafka.
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(TestLogPipelines.condition(current("nowhere"), PipelineHealth.SHIPPER_READY).getStatus()).isEqualTo("True");
      assertThat(TestLogPipelines.condition(current("nowhere"), PipelineHealth.INDEXER_READY).getStatus()).isEqualTo("True");
    });
    client.resource(current("nowhere")).delete();
  }

  @Test
  void aWrongPasswordAndAMissingAclAreConditionsThatSayWhatToFix() {
    client.resource(scram("wrongpass", "kafka-admin-wrong")).create();
    client.resource(scram("noacl", "kafka-admin-describe-only")).create();
    awaitBuffer("wrongpass", "False", "SaslAuthenticationFailed");
    assertThat(TestLogPipelines.condition(current("wrongpass"), PipelineHealth.BUFFER_READY).getMessage())
        .contains("spec.kafka.adminSecret").doesNotContain("not-the-password");
    awaitBuffer("noacl", "False", "TopicAuthorizationFailed");
    assertThat(TestLogPipelines.condition(current("noacl"), PipelineHealth.BUFFER_READY).getMessage())
        .contains("docs/install.md");
    assertNoSecretOutsideSecrets("not-the-password");
    client.resource(current("wrongpass")).delete();
    client.resource(current("noacl")).delete();
  }

  @Test
  void aMissingSecretWritesNothing() {
    client.resource(scram("unset", "kafka-admin-missing")).create();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      LogPipeline lp = current("unset");
      assertThat(lp.getStatus()).isNotNull();
      var valid = TestLogPipelines.condition(lp, PipelineHealth.VALID);
      assertThat(valid.getReason()).isEqualTo("MissingReference");
      assertThat(valid.getMessage()).contains("spec.kafka.adminSecret.name").contains("kafka-admin-missing");
    });
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("unset-filebeat").get()).isNull();
    assertThat(client.secrets().inNamespace(NS).withName("unset-kafka-shipper").get()).isNull();
    client.resource(current("unset")).delete();
  }

  /** ConfigMaps, statuses, Events and the log lines never carry the value. */
  static void assertNoSecretOutsideSecrets(String value) {
    var places = new java.util.ArrayList<io.fabric8.kubernetes.api.model.HasMetadata>();
    places.addAll(client.configMaps().inAnyNamespace().list().getItems());
    places.addAll(client.resources(LogPipeline.class).inAnyNamespace().list().getItems());
    places.addAll(client.v1().events().inAnyNamespace().list().getItems());
    places.addAll(client.apps().daemonSets().inAnyNamespace().list().getItems());
    places.addAll(client.apps().statefulSets().inAnyNamespace().list().getItems());
    assertThat(places).isNotEmpty().allSatisfy(o -> assertThat(Serialization.asYaml(o))
        .as("%s %s", o.getKind(), o.getMetadata().getName()).doesNotContain(value));
    assertThat(logLines).isNotEmpty().noneMatch(line -> line.contains(value));
  }

  static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
