package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.api.KafkaTlsSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.api.TlsSpec;
import io.logpipeline.operator.api.TopicSpec;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SpecProblem;
import io.strimzi.api.kafka.Crds;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;
import io.strimzi.api.kafka.model.topic.KafkaTopicStatusBuilder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checks against the cluster made before anything is written: each missing Secret or key,
 * the Strimzi Kafka, a topic that would shrink, a replication factor above the brokers; each
 * reported with its field path, and each check Strimzi cannot answer skipped.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterReferencesTest {

  static KubernetesClient client;

  static final String NS = "logging";
  static final Duration RECHECK = Duration.ofMinutes(1);
  static final AtomicInteger namespaces = new AtomicInteger();

  final LogPipelineReconcilerTest.MutableClock clock =
      new LogPipelineReconcilerTest.MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  final ClusterReferences references = new ClusterReferences(clock, RECHECK);

  @AfterEach
  void removeCrds() {
    client.apiextensions().v1().customResourceDefinitions().delete();
    client.secrets().inNamespace(NS).delete();
  }

  static Pipeline pipeline(Consumer<LogPipeline> edit) {
    LogPipeline lp = TestLogPipelines.minimal("app", NS, "https://es:9200");
    edit.accept(lp);
    return StubbedContext.valid(lp);
  }

  static void secret(String name, Map<String, String> data, Map<String, String> stringData) {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .withData(data).withStringData(stringData).build()).create();
  }

  static List<String> fields(List<SpecProblem> problems) {
    return problems.stream().map(SpecProblem::field).toList();
  }

  List<SpecProblem> check(Pipeline p) {
    return references.check(p, client, Optional.empty());
  }

  // --- the search cluster's Secrets

  static Consumer<LogPipeline> esCredentials(String name, String apiKeyKey) {
    return lp -> {
      CredentialsSecretRef creds = new CredentialsSecretRef();
      creds.setName(name);
      creds.setApiKeyKey(apiKeyKey);
      lp.getSpec().getElasticsearch().setCredentialsSecret(creds);
    };
  }

  @Test
  void aMissingCredentialsSecretIsNamedWithItsField() {
    List<SpecProblem> problems = check(pipeline(esCredentials("es-creds", null)));
    assertThat(problems).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("spec.elasticsearch.credentialsSecret.name");
      assertThat(p.message()).isEqualTo("Secret es-creds does not exist in namespace logging: create it, or fix the name");
    });
  }

  @Test
  void eachMissingKeyIsNamed() {
    secret("es-creds", Map.of("user", "YQ=="), null);
    List<SpecProblem> problems = check(pipeline(esCredentials("es-creds", null)));
    assertThat(fields(problems)).containsExactly("spec.elasticsearch.credentialsSecret.usernameKey",
        "spec.elasticsearch.credentialsSecret.passwordKey");
    assertThat(problems.get(0).message())
        .isEqualTo("Secret es-creds has no key 'username': add it, or name the key that holds the value");
  }

  @Test
  void keysInDataOrStringDataAreFound() {
    secret("es-creds", Map.of("username", "YQ=="), Map.of("password", "b"));
    assertThat(check(pipeline(esCredentials("es-creds", null)))).isEmpty();
  }

  @Test
  void anApiKeyNeedsOnlyItsKey() {
    secret("es-key", Map.of("username", "YQ=="), null);
    assertThat(fields(check(pipeline(esCredentials("es-key", "api-key")))))
        .containsExactly("spec.elasticsearch.credentialsSecret.apiKeyKey");
    client.secrets().inNamespace(NS).withName("es-key").delete();
    secret("es-key", null, Map.of("api-key", "k"));
    assertThat(check(pipeline(esCredentials("es-key", "api-key")))).isEmpty();
  }

  static Consumer<LogPipeline> esCa(String name, String key) {
    return lp -> {
      TlsSpec tls = new TlsSpec();
      SecretKeySpec ca = new SecretKeySpec();
      ca.setName(name);
      ca.setKey(key);
      tls.setCaSecret(ca);
      lp.getSpec().getElasticsearch().setTls(tls);
    };
  }

  @Test
  void theSearchClustersCaSecretAndKey() {
    assertThat(fields(check(pipeline(esCa("es-ca", "ca.pem"))))).containsExactly("spec.elasticsearch.tls.caSecret.name");
    secret("es-ca", Map.of("ca.crt", "YQ=="), null);
    List<SpecProblem> problems = check(pipeline(esCa("es-ca", "ca.pem")));
    assertThat(fields(problems)).containsExactly("spec.elasticsearch.tls.caSecret.key");
    assertThat(problems.get(0).message()).contains("no key 'ca.pem'");
    assertThat(check(pipeline(esCa("es-ca", "ca.crt")))).isEmpty();
    // TLS without a CA Secret: nothing to check.
    assertThat(check(pipeline(lp -> lp.getSpec().getElasticsearch().setTls(new TlsSpec())))).isEmpty();
  }

  // --- an external Kafka's Secrets

  static KafkaCredentialsRef ref(String name) {
    KafkaCredentialsRef r = new KafkaCredentialsRef();
    r.setName(name);
    return r;
  }

  static Consumer<LogPipeline> external(KafkaAuthenticationType type, String caSecret) {
    return lp -> {
      var k = lp.getSpec().getKafka();
      k.setCluster(null);
      k.setBootstrapServers("b-1.msk.example.com:9096");
      KafkaTlsSpec tls = new KafkaTlsSpec();
      if (caSecret != null) {
        SecretKeySpec ca = new SecretKeySpec();
        ca.setName(caSecret);
        tls.setCaSecret(ca);
      }
      k.setTls(tls);
      KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
      auth.setType(type);
      if (type != KafkaAuthenticationType.NONE) {
        auth.setShipperSecret(ref("kafka-shipper"));
        auth.setIndexerSecret(ref("kafka-indexer"));
        k.setAdminSecret(ref("kafka-admin"));
      }
      k.setAuthentication(auth);
    };
  }

  @Test
  void anExternalKafkasSecretsAreAllChecked() {
    List<SpecProblem> problems = check(pipeline(external(KafkaAuthenticationType.SCRAM_SHA_512, "kafka-ca")));
    assertThat(fields(problems)).containsExactly("spec.kafka.tls.caSecret.name",
        "spec.kafka.authentication.shipperSecret.name", "spec.kafka.authentication.indexerSecret.name",
        "spec.kafka.adminSecret.name");
  }

  @Test
  void scramNeedsUsernameAndPasswordKeys() {
    secret("kafka-ca", Map.of("ca.crt", "YQ=="), null);
    secret("kafka-shipper", Map.of("username", "YQ=="), null);
    secret("kafka-indexer", Map.of("password", "YQ=="), null);
    secret("kafka-admin", Map.of("username", "YQ==", "password", "YQ=="), null);
    assertThat(fields(check(pipeline(external(KafkaAuthenticationType.SCRAM_SHA_512, "kafka-ca")))))
        .containsExactly("spec.kafka.authentication.shipperSecret.passwordKey",
            "spec.kafka.authentication.indexerSecret.usernameKey");
  }

  @Test
  void mutualTlsNeedsCertificateAndKeyKeys() {
    secret("kafka-shipper", Map.of("tls.crt", "YQ=="), null);
    secret("kafka-indexer", Map.of("tls.key", "YQ=="), null);
    secret("kafka-admin", Map.of("username", "YQ=="), null);
    assertThat(fields(check(pipeline(external(KafkaAuthenticationType.TLS, null)))))
        .containsExactly("spec.kafka.authentication.shipperSecret.keyKey",
            "spec.kafka.authentication.indexerSecret.certificateKey",
            "spec.kafka.adminSecret.certificateKey", "spec.kafka.adminSecret.keyKey");
  }

  @Test
  void theKafkaCaKeyIsChecked() {
    secret("kafka-ca", Map.of("other", "YQ=="), null);
    List<SpecProblem> problems = check(pipeline(external(KafkaAuthenticationType.NONE, "kafka-ca")));
    assertThat(fields(problems)).containsExactly("spec.kafka.tls.caSecret.key");
    assertThat(problems.get(0).message()).contains("no key 'ca.crt'");
  }

  // --- the Strimzi Kafka

  @Test
  void withoutStrimzisCrdTheClusterIsNotChecked() {
    assertThat(check(pipeline(lp -> {}))).isEmpty();
  }

  @Test
  void aMissingStrimziKafkaIsReportedAndNoticedAsSoonAsItExists() {
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    Pipeline p = pipeline(lp -> lp.getSpec().getKafka().setNamespace("kafka"));
    assertThat(check(p)).singleElement().satisfies(problem -> {
      assertThat(problem.field()).isEqualTo("spec.kafka.cluster");
      assertThat(problem.message()).isEqualTo("no Strimzi Kafka 'my-cluster' in namespace kafka:"
          + " fix spec.kafka.cluster or spec.kafka.namespace");
    });
    kafka("kafka", "my-cluster", null);
    assertThat(check(p)).isEmpty();
  }

  @Test
  void aKafkaFoundIsNotReadAgainWithinTheRecheck() {
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    kafka("kafka-2", "my-cluster", null);
    Pipeline p = pipeline(lp -> lp.getSpec().getKafka().setNamespace("kafka-2"));
    assertThat(check(p)).isEmpty();
    client.genericKubernetesResources("kafka.strimzi.io/v1", "Kafka").inNamespace("kafka-2").delete();
    clock.advance(RECHECK.minusSeconds(1));
    assertThat(check(p)).as("found less than the recheck ago").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(fields(check(p))).containsExactly("spec.kafka.cluster");
  }

  @Test
  void theCrdsServedVersionIsUsed() {
    // Only v1beta2 served (Strimzi before 0.49): the Kafka is looked up there.
    crd(Map.of("v1beta2", true, "v1beta1", true));
    kafka("kafka-3", "my-cluster", null, "v1beta2");
    Pipeline p = pipeline(lp -> lp.getSpec().getKafka().setNamespace("kafka-3"));
    assertThat(check(p)).isEmpty();
  }

  @Test
  void aCrdServingNoKnownVersionSkipsTheCheck() {
    crd(Map.of("v1", false, "v1beta1", true));
    assertThat(check(pipeline(lp -> lp.getSpec().getKafka().setNamespace("kafka-none")))).isEmpty();
  }

  @Test
  void theCrdIsLookedUpAgainAfterTheRecheck() {
    Pipeline p = pipeline(lp -> lp.getSpec().getKafka().setNamespace("kafka-4"));
    assertThat(check(p)).isEmpty();
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    clock.advance(RECHECK.minusSeconds(1));
    assertThat(check(p)).as("the CRD's absence is remembered for the recheck").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(fields(check(p))).containsExactly("spec.kafka.cluster");
  }

  static void crd(Map<String, Boolean> served) {
    CustomResourceDefinition crd = new CustomResourceDefinitionBuilder(Crds.kafka()).build();
    List<CustomResourceDefinitionVersion> versions = crd.getSpec().getVersions();
    CustomResourceDefinitionVersion template = versions.get(0);
    crd.getSpec().setVersions(served.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e ->
        new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder(template)
            .withName(e.getKey()).withServed(e.getValue()).withStorage(e.getKey().equals("v1beta2")).build())
        .toList());
    client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
  }

  static void kafka(String namespace, String name, Integer replicas) {
    kafka(namespace, name, replicas, "v1");
  }

  static void kafka(String namespace, String name, Integer replicas, String version) {
    var kafka = new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/" + version).withKind("Kafka")
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata();
    if (replicas != null) {
      kafka.addToAdditionalProperties("spec", Map.of("kafka", Map.of("replicas", replicas)));
    }
    client.genericKubernetesResources(new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
        .withGroup("kafka.strimzi.io").withVersion(version).withKind("Kafka").withPlural("kafkas").withNamespaced(true)
        .build()).inNamespace(namespace).resource(kafka.build()).create();
  }

  // --- the topic

  static KafkaTopic topic(Integer partitions, Integer replicas, String ready) {
    var t = new KafkaTopicBuilder().withNewMetadata().withName("logs.logging.app").endMetadata()
        .withNewSpec().withPartitions(partitions).withReplicas(replicas).endSpec();
    if (ready != null) {
      t.withStatus(new KafkaTopicStatusBuilder().withConditions(new ConditionBuilder().withType("Ready")
          .withStatus(ready).build()).build());
    }
    return t.build();
  }

  static Consumer<LogPipeline> topicSpec(int partitions, int replicas) {
    return lp -> {
      TopicSpec topic = new TopicSpec();
      topic.setPartitions(partitions);
      topic.setReplicas(replicas);
      lp.getSpec().getKafka().setTopic(topic);
    };
  }

  @Test
  void theTopicMayNotShrink() {
    Pipeline p = pipeline(topicSpec(4, 3));
    List<SpecProblem> problems = references.check(p, client, Optional.of(topic(6, 3, "True")));
    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.field()).isEqualTo("spec.kafka.topic.partitions");
      assertThat(problem.message()).isEqualTo("is 4 but topic logs.logging.app already has 6 partitions,"
          + " and Kafka cannot remove partitions: use 6 or more");
    });
    assertThat(references.check(p, client, Optional.of(topic(4, 3, "True")))).isEmpty();
    assertThat(references.check(p, client, Optional.of(topic(3, 3, "True")))).isEmpty();
    assertThat(references.check(p, client, Optional.of(new KafkaTopicBuilder().withNewMetadata()
        .withName("logs.logging.app").endMetadata().build()))).as("no spec").isEmpty();
  }

  // --- the brokers

  @Test
  void replicasAboveTheBrokersAreRefused() {
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    TestLogPipelines.installStrimziNodePools(client);
    TestLogPipelines.nodePool(client, "k1", "brokers", "my-cluster", 1, "broker");
    TestLogPipelines.nodePool(client, "k1", "controllers", "my-cluster", 3, "controller");
    TestLogPipelines.nodePool(client, "k1", "other", "other-cluster", 5, "broker");
    Pipeline p = pipeline(topicSpec(6, 2).andThen(lp -> lp.getSpec().getKafka().setNamespace("k1")));

    List<SpecProblem> problems = references.kafkaCapacity(p, client, Optional.empty());

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.field()).isEqualTo("spec.kafka.topic.replicas");
      assertThat(problem.message()).isEqualTo("is 2 but Strimzi Kafka my-cluster has 1 broker, so the topic"
          + " cannot be created: use at most 1 (min.insync.replicas follows: replicas - 1, at least 1), or add brokers");
    });
    assertThat(references.kafkaCapacity(pipeline(topicSpec(6, 1).andThen(
        lp -> lp.getSpec().getKafka().setNamespace("k1"))), client, Optional.empty())).isEmpty();
  }

  @Test
  void brokersOfSeveralPoolsAddUp() {
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    TestLogPipelines.installStrimziNodePools(client);
    TestLogPipelines.nodePool(client, "k2", "a", "my-cluster", 1, "broker");
    TestLogPipelines.nodePool(client, "k2", "b", "my-cluster", 1, "broker", "controller");
    Consumer<LogPipeline> ns = lp -> lp.getSpec().getKafka().setNamespace("k2");
    assertThat(references.kafkaCapacity(pipeline(topicSpec(6, 2).andThen(ns)), client, Optional.empty())).isEmpty();
    List<SpecProblem> problems = references.kafkaCapacity(pipeline(topicSpec(6, 3).andThen(ns)), client, Optional.empty());
    assertThat(problems).singleElement().satisfies(problem -> assertThat(problem.message())
        .contains("has 2 brokers, so").contains("use at most 2"));
  }

  @Test
  void withoutNodePoolsTheKafkasReplicasCount() {
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    kafka("k3", "my-cluster", 2);
    Consumer<LogPipeline> ns = lp -> lp.getSpec().getKafka().setNamespace("k3");
    assertThat(fields(references.kafkaCapacity(pipeline(ns), client, Optional.empty())))
        .as("the default 3 replicas").containsExactly("spec.kafka.topic.replicas");
    assertThat(references.kafkaCapacity(pipeline(topicSpec(6, 2).andThen(ns)), client, Optional.empty())).isEmpty();
  }

  @Test
  void whatStrimziDoesNotSayIsNotChecked() {
    // No CRD.
    Consumer<LogPipeline> big = topicSpec(6, 9);
    assertThat(references.kafkaCapacity(pipeline(big), client, Optional.empty())).isEmpty();
    // A Kafka without replicas, no pools.
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    kafka("k4", "my-cluster", null);
    ClusterReferences fresh = new ClusterReferences(clock, RECHECK);
    assertThat(fresh.kafkaCapacity(pipeline(big.andThen(lp -> lp.getSpec().getKafka().setNamespace("k4"))),
        client, Optional.empty())).isEmpty();
    // An external Kafka: its AdminClient says.
    assertThat(fresh.kafkaCapacity(pipeline(big.andThen(external(KafkaAuthenticationType.NONE, null))),
        client, Optional.empty())).isEmpty();
  }

  @Test
  void aReadyTopicWithTheseReplicasIsLeftAlone() {
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    TestLogPipelines.installStrimziNodePools(client);
    TestLogPipelines.nodePool(client, "k5", "a", "my-cluster", 1, "broker");
    Pipeline p = pipeline(topicSpec(6, 3).andThen(lp -> lp.getSpec().getKafka().setNamespace("k5")));
    assertThat(references.kafkaCapacity(p, client, Optional.of(topic(6, 3, "True")))).as("brokers down for maintenance").isEmpty();
    assertThat(references.kafkaCapacity(p, client, Optional.of(topic(6, 3, "False")))).hasSize(1);
    assertThat(references.kafkaCapacity(p, client, Optional.of(topic(6, 2, "True")))).as("replicas changed").hasSize(1);
    assertThat(references.kafkaCapacity(p, client, Optional.of(topic(6, 3, null)))).as("no status").hasSize(1);
  }

  @Test
  void brokersAreCountedAtMostOncePerRecheck() {
    client.apiextensions().v1().customResourceDefinitions().resource(Crds.kafka()).create();
    TestLogPipelines.installStrimziNodePools(client);
    TestLogPipelines.nodePool(client, "k6", "a", "my-cluster", 1, "broker");
    Pipeline p = pipeline(topicSpec(6, 2).andThen(lp -> lp.getSpec().getKafka().setNamespace("k6")));
    assertThat(references.kafkaCapacity(p, client, Optional.empty())).hasSize(1);
    TestLogPipelines.nodePool(client, "k6", "b", "my-cluster", 1, "broker");
    clock.advance(RECHECK.minusSeconds(1));
    assertThat(references.kafkaCapacity(p, client, Optional.empty())).as("counted less than the recheck ago").hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(references.kafkaCapacity(p, client, Optional.empty())).as("the new pool is counted").isEmpty();
  }
}
