package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.SimulatedControllers;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaTlsSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.model.KafkaSecurity;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Strimzi pipeline with SCRAM over TLS, through the real operator and the mock API server:
 * the two KafkaUsers with their ACLs, the copies of the Secrets Strimzi's User Operator writes
 * and of the cluster CA, the pods that mount them and roll when Strimzi rotates a password, and
 * the users going with the pipeline. No secret value in a ConfigMap, the status or an Event.
 */
@EnableKubernetesMockClient(crud = true)
class StrimziKafkaSecurityIntegrationTest {

  static KubernetesClient client;
  static LogPipelineOperator operator;
  static SimulatedControllers controllers;
  static final String NS = "logging";
  static final String KAFKA_NS = "kafka";
  static final String CA = "-----BEGIN CERTIFICATE-----\nthe cluster CA\n-----END CERTIFICATE-----\n";

  @BeforeAll
  static void start() {
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    client.secrets().inNamespace(KAFKA_NS).resource(secret("my-cluster-cluster-ca-cert", Map.of("ca.crt", CA))).create();
    controllers = SimulatedControllers.start(client, 3);
    // A short template recheck makes the credentials recheck (the smaller of it and 2 minutes) short.
    operator = LogPipelineOperator.start(client, InMemorySearch.clients(),
        LogPipelineOperator.Options.defaults().withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withReferenceRecheck(Duration.ofSeconds(1)).withTemplateRecheck(Duration.ofSeconds(2)));
  }

  @AfterAll
  static void stop() {
    if (operator != null) {
      operator.close();
    }
    if (controllers != null) {
      controllers.close();
    }
  }

  static Secret secret(String name, Map<String, String> values) {
    var data = new java.util.LinkedHashMap<String, String>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withData(data).build();
  }

  static String value(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  static LogPipeline scramPipeline(String name, DeletionPolicy policy) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, "https://es-http.elastic.svc:9200");
    lp.getSpec().getKafka().setNamespace(KAFKA_NS);
    lp.getSpec().getKafka().setTls(new KafkaTlsSpec());
    KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
    auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
    lp.getSpec().getKafka().setAuthentication(auth);
    lp.getSpec().setDeletionPolicy(policy);
    return lp;
  }

  static LogPipeline current(String name) {
    return client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
  }

  static KafkaUser user(String name) {
    return client.resources(KafkaUser.class).inNamespace(KAFKA_NS).withName(name).get();
  }

  @Test
  void usersWithLeastAclsCopiesThatFollowRotationAndUsersGoWithThePipeline() {
    client.resource(scramPipeline("payments", DeletionPolicy.Retain)).create();

    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      LogPipeline lp = current("payments");
      assertThat(lp.getStatus()).isNotNull();
      assertThat(lp.getStatus().getPhase()).isEqualTo(Phase.Ready);
      assertThat(TestLogPipelines.condition(lp, PipelineHealth.BUFFER_READY).getMessage()).contains("KafkaUsers Ready");
    });

    KafkaUser shipper = user("logging.payments-shipper");
    KafkaUser indexer = user("logging.payments-indexer");
    assertThat(shipper.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "my-cluster");
    assertThat(shipper.getSpec().getAuthentication()).isInstanceOf(KafkaUserScramSha512ClientAuthentication.class);
    var shipperAcls = ((KafkaUserAuthorizationSimple) shipper.getSpec().getAuthorization()).getAcls();
    assertThat(shipperAcls).singleElement().satisfies(rule -> {
      assertThat(((AclRuleTopicResource) rule.getResource()).getName()).isEqualTo("logs.logging.payments");
      assertThat(rule.getOperations()).extracting(op -> op.toValue()).containsExactlyInAnyOrder("Write", "Describe");
    });
    var indexerAcls = ((KafkaUserAuthorizationSimple) indexer.getSpec().getAuthorization()).getAcls();
    assertThat(indexerAcls).hasSize(2);
    assertThat(indexerAcls).anySatisfy(rule -> {
      assertThat(rule.getResource()).isInstanceOf(AclRuleGroupResource.class);
      assertThat(((AclRuleGroupResource) rule.getResource()).getName()).isEqualTo("logpipeline.logging.payments");
      assertThat(rule.getOperations()).extracting(op -> op.toValue()).containsExactly("Read");
    });

    // The copies: the user's password, Strimzi's JAAS line and the cluster CA, owned by the pipeline.
    Secret strimziSecret = client.secrets().inNamespace(KAFKA_NS).withName("logging.payments-shipper").get();
    Secret copy = client.secrets().inNamespace(NS).withName("payments-kafka-shipper").get();
    String password = value(strimziSecret, "password");
    assertThat(value(copy, "password")).isEqualTo(password);
    assertThat(value(copy, "username")).isEqualTo("logging.payments-shipper");
    assertThat(value(copy, "ca.crt")).isEqualTo(CA);
    assertThat(copy.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(current("payments").getMetadata().getUid()));
    Secret indexerCopy = client.secrets().inNamespace(NS).withName("payments-kafka-indexer").get();
    assertThat(value(indexerCopy, "sasl.jaas.config")).contains("logging.payments-indexer");
    assertThat(indexerCopy.getData()).doesNotContainKey("user.key");

    DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName("payments-filebeat").get();
    var container = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("KAFKA_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("payments-kafka-shipper");
    });
    String shipperVersion = ds.getSpec().getTemplate().getMetadata().getAnnotations()
        .get(KafkaSecurity.SECRET_VERSION_ANNOTATION);
    assertThat(shipperVersion).isNotBlank();
    StatefulSet logstash = client.apps().statefulSets().inNamespace(NS).withName("payments-logstash").get();
    assertThat(logstash.getSpec().getTemplate().getSpec().getVolumes())
        .anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
            .isEqualTo("payments-kafka-indexer"));
    assertNoSecretValueOutsideSecrets(password);

    // Strimzi rotates the password: the copy follows, and the Filebeat pods roll.
    Secret rotated = client.secrets().inNamespace(KAFKA_NS).withName("logging.payments-shipper").get();
    rotated.getData().put("password", Base64.getEncoder().encodeToString("rotated-password".getBytes(StandardCharsets.UTF_8)));
    client.resource(rotated).update();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(value(client.secrets().inNamespace(NS).withName("payments-kafka-shipper").get(), "password"))
          .isEqualTo("rotated-password");
      assertThat(client.apps().daemonSets().inNamespace(NS).withName("payments-filebeat").get()
          .getSpec().getTemplate().getMetadata().getAnnotations().get(KafkaSecurity.SECRET_VERSION_ANNOTATION))
          .isNotEqualTo(shipperVersion);
    });
    // The indexer's credentials did not change: its pods stay.
    assertThat(client.apps().statefulSets().inNamespace(NS).withName("payments-logstash").get()
        .getSpec().getTemplate().getMetadata().getAnnotations().get(KafkaSecurity.SECRET_VERSION_ANNOTATION))
        .isEqualTo(logstash.getSpec().getTemplate().getMetadata().getAnnotations().get(KafkaSecurity.SECRET_VERSION_ANNOTATION));

    // Retain keeps the topic; the users go all the same.
    client.resource(current("payments")).delete();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(current("payments")).isNull();
      assertThat(user("logging.payments-shipper")).isNull();
      assertThat(user("logging.payments-indexer")).isNull();
    });
    assertThat(client.resources(KafkaTopic.class).inNamespace(KAFKA_NS).withName("logs.logging.payments").get()).isNotNull();
  }

  @Test
  void turningAuthenticationOffRemovesTheUsersAndTheCopies() {
    client.resource(scramPipeline("audit", DeletionPolicy.Delete)).create();
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(user("logging.audit-shipper")).isNotNull();
      assertThat(client.secrets().inNamespace(NS).withName("audit-kafka-indexer").get()).isNotNull();
    });
    TestLogPipelines.edit(client, NS, "audit", lp -> {
      lp.getSpec().getKafka().setAuthentication(null);
      lp.getSpec().getKafka().setTls(null);
    });
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
      assertThat(user("logging.audit-shipper")).isNull();
      assertThat(user("logging.audit-indexer")).isNull();
      assertThat(client.secrets().inNamespace(NS).withName("audit-kafka-shipper").get()).isNull();
      assertThat(client.secrets().inNamespace(NS).withName("audit-kafka-indexer").get()).isNull();
      DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName("audit-filebeat").get();
      assertThat(ds.getSpec().getTemplate().getSpec().getVolumes()).noneMatch(v -> v.getSecret() != null);
      assertThat(current("audit").getStatus().getPhase()).isEqualTo(Phase.Ready);
    });
  }

  /** ConfigMaps, LogPipeline statuses and Events never carry the value. */
  static void assertNoSecretValueOutsideSecrets(String value) {
    List<HasMetadata> places = new java.util.ArrayList<>();
    places.addAll(client.configMaps().inAnyNamespace().list().getItems());
    places.addAll(client.resources(LogPipeline.class).inAnyNamespace().list().getItems());
    places.addAll(client.v1().events().inAnyNamespace().list().getItems());
    places.addAll(client.apps().daemonSets().inAnyNamespace().list().getItems());
    places.addAll(client.apps().statefulSets().inAnyNamespace().list().getItems());
    places.addAll(client.resources(KafkaUser.class).inAnyNamespace().list().getItems());
    assertThat(places).isNotEmpty().allSatisfy(o -> assertThat(Serialization.asYaml(o))
        .as("%s %s", o.getKind(), o.getMetadata().getName()).doesNotContain(value));
  }
}
