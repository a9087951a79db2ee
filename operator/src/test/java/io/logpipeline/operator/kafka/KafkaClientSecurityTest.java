package io.logpipeline.operator.kafka;

import io.fabric8.kubernetes.api.model.Secret;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.api.KafkaTlsSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Credentials;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.KafkaUserModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The client settings the operator renders, used by real Kafka clients against a real broker with
 * SCRAM, mutual TLS and ACLs: each combination of Kafka (Strimzi's users, or Secrets the user
 * gives) and security connects; the shipper may write its topic and nothing else, the indexer may
 * read it with its group and nothing else; a wrong password or a missing CA fails with the error
 * the operator reports for it.
 */
class KafkaClientSecurityTest {

  static final String NS = "team-a";
  static final String OTHER_TOPIC = "logs.team-b.other";
  static final AtomicInteger PIPELINES = new AtomicInteger();
  static KafkaBroker broker;
  static Admin admin;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() throws Exception {
    broker = KafkaBroker.shared();
    admin = broker.superAdmin();
    admin.createTopics(List.of(new NewTopic(OTHER_TOPIC, 1, (short) 1))).all().get();
  }

  /** A pipeline named uniquely per test (topics, users and groups never collide). */
  static LogPipeline pipeline(String bootstrap, boolean strimzi, boolean tls, KafkaAuthenticationType auth) {
    LogPipeline lp = TestLogPipelines.minimal("p" + PIPELINES.incrementAndGet(), NS, "https://es:9200");
    var kafka = lp.getSpec().getKafka();
    if (!strimzi) {
      kafka.setCluster(null);
    }
    kafka.setBootstrapServers(bootstrap);
    kafka.getTopic().setReplicas(1);
    if (tls) {
      KafkaTlsSpec spec = new KafkaTlsSpec();
      if (!strimzi) {
        SecretKeySpec ca = new SecretKeySpec();
        ca.setName("kafka-ca");
        spec.setCaSecret(ca);
      }
      kafka.setTls(spec);
    }
    KafkaAuthenticationSpec authentication = new KafkaAuthenticationSpec();
    authentication.setType(auth);
    if (!strimzi && auth != KafkaAuthenticationType.NONE) {
      authentication.setShipperSecret(ref("kafka-shipper"));
      authentication.setIndexerSecret(ref("kafka-indexer"));
      kafka.setAdminSecret(ref("kafka-admin"));
    }
    kafka.setAuthentication(authentication);
    return lp;
  }

  static KafkaCredentialsRef ref(String name) {
    KafkaCredentialsRef ref = new KafkaCredentialsRef();
    ref.setName(name);
    return ref;
  }

  /** The two clients of a pipeline, from its rendered pods and the copies of their credentials. */
  record Clients(Pipeline pipeline, PodFiles shipperPod, Properties producer, PodFiles indexerPod,
      Properties consumer) {}

  Clients clients(Pipeline p, Map<Role, Credentials> credentials) {
    Secret shipperCopy = KafkaSecurity.secret(p, Role.SHIPPER, credentials.get(Role.SHIPPER));
    Secret indexerCopy = KafkaSecurity.secret(p, Role.INDEXER, credentials.get(Role.INDEXER));
    Map<String, Secret> secrets = Map.of(shipperCopy.getMetadata().getName(), shipperCopy,
        indexerCopy.getMetadata().getName(), indexerCopy);
    PodFiles shipper = new PodFiles(ShipperModel.daemonSet(p).getSpec().getTemplate(), "filebeat", secrets,
        dir.resolve("shipper"));
    PodFiles indexer = new PodFiles(IndexerModel.statefulSet(p).getSpec().getTemplate(), "logstash", secrets,
        dir.resolve("indexer"));
    @SuppressWarnings("unchecked")
    Map<String, Object> output = (Map<String, Object>) ShipperModel.filebeatConfig(p).get("output.kafka");
    return new Clients(p, shipper, RenderedClients.filebeatProducer(output, shipper), indexer,
        RenderedClients.logstashConsumer(RenderedClients.logstashKafkaInput(IndexerModel.pipelineConfig(p)), indexer));
  }

  /** Strimzi: the topic as the Topic Operator makes it, the users as the User Operator does. */
  Clients strimzi(LogPipeline lp) throws Exception {
    Pipeline p = Pipeline.resolve(lp);
    admin.createTopics(List.of(new NewTopic(p.topicName(), 2, (short) 1))).all().get();
    String ca = KafkaSecurity.tls(p) ? broker.authority().caPem() : null;
    Map<Role, Credentials> credentials = new java.util.EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      var secret = StrimziUserOperator.apply(admin, broker.authority(), KafkaUserModel.kafkaUser(p, role));
      credentials.put(role, new Credentials(ca, secret.username(), secret.password(), secret.jaasConfig(),
          secret.certificate() == null ? null : secret.certificate().certificate(),
          secret.certificate() == null ? null : secret.certificate().privateKey()));
    }
    return clients(p, credentials);
  }

  @Test
  void strimziScramOverTls() throws Exception {
    Clients c = strimzi(pipeline(broker.scram(), true, true, KafkaAuthenticationType.SCRAM_SHA_512));
    assertThat(c.producer()).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertLeastPrivilege(c);
  }

  @Test
  void strimziMutualTls() throws Exception {
    Clients c = strimzi(pipeline(broker.mutualTls(), true, true, KafkaAuthenticationType.TLS));
    assertThat(c.consumer()).containsEntry("security.protocol", "SSL").containsEntry("ssl.keystore.type", "PEM");
    assertLeastPrivilege(c);
  }

  @Test
  void externalScramWithTheUsersSecrets() throws Exception {
    LogPipeline lp = pipeline(broker.scram(), false, true, KafkaAuthenticationType.SCRAM_SHA_512);
    Pipeline p = Pipeline.resolve(lp);
    admin.createTopics(List.of(new NewTopic(p.topicName(), 2, (short) 1))).all().get();
    // As an MSK user would: the users exist in Kafka, with the ACLs docs/install.md gives.
    Map<Role, Credentials> credentials = new java.util.EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      String user = "ext-" + p.name() + "-" + role.value();
      String password = "pa\"ss\\" + StrimziUserOperator.password();
      StrimziUserOperator.scram(admin, user, password);
      var acls = KafkaUserModel.kafkaUser(p, role);
      acls.getMetadata().setName(user);
      StrimziUserOperator.apply(admin, broker.authority(), acls);
      StrimziUserOperator.scram(admin, user, password);
      credentials.put(role, new Credentials(broker.authority().caPem(), user, password, null, null, null));
    }
    assertLeastPrivilege(clients(p, credentials));
  }

  @Test
  void externalMutualTlsWithTheUsersCertificates() throws Exception {
    LogPipeline lp = pipeline(broker.mutualTls(), false, true, KafkaAuthenticationType.TLS);
    Pipeline p = Pipeline.resolve(lp);
    admin.createTopics(List.of(new NewTopic(p.topicName(), 2, (short) 1))).all().get();
    Map<Role, Credentials> credentials = new java.util.EnumMap<>(Role.class);
    for (Role role : Role.values()) {
      var user = KafkaUserModel.kafkaUser(p, role);
      user.getMetadata().setName("ext-" + p.name() + "-" + role.value());
      var secret = StrimziUserOperator.apply(admin, broker.authority(), user);
      credentials.put(role, new Credentials(broker.authority().caPem(), null, null, null,
          secret.certificate().certificate(), secret.certificate().privateKey()));
    }
    assertLeastPrivilege(clients(p, credentials));
  }

  @Test
  void tlsWithoutAuthenticationAndPlaintextConnect() throws Exception {
    for (var lp : List.of(pipeline(broker.tls(), false, true, KafkaAuthenticationType.NONE),
        pipeline(broker.plaintext(), false, false, KafkaAuthenticationType.NONE))) {
      Pipeline p = Pipeline.resolve(lp);
      admin.createTopics(List.of(new NewTopic(p.topicName(), 1, (short) 1))).all().get();
      String ca = KafkaSecurity.tls(p) ? broker.authority().caPem() : null;
      Credentials none = new Credentials(ca, null, null, null, null, null);
      Clients c = clients(p, Map.of(Role.SHIPPER, none, Role.INDEXER, none));
      produce(c.producer(), p.topicName(), "hello");
      assertThat(consume(c.consumer(), p.topicName(), 1)).containsExactly("hello");
    }
  }

  @Test
  void aWrongPasswordFailsAsTheConditionSays() throws Exception {
    Clients c = strimzi(pipeline(broker.scram(), true, true, KafkaAuthenticationType.SCRAM_SHA_512));
    c.shipperPod().setEnv("KAFKA_PASSWORD", "wrong");
    @SuppressWarnings("unchecked")
    Map<String, Object> output = (Map<String, Object>) ShipperModel.filebeatConfig(c.pipeline()).get("output.kafka");
    Properties wrong = RenderedClients.filebeatProducer(output, c.shipperPod());
    assertThatThrownBy(() -> produce(wrong, c.pipeline().topicName(), "x"))
        .hasRootCauseInstanceOf(SaslAuthenticationException.class);
    // The operator's own client, given a wrong password, says so in the condition's reason.
    KafkaConnection connection = new KafkaConnection(broker.scram(), "SASL_SSL", KafkaSecurity.userName(c.pipeline(), Role.SHIPPER),
        "wrong", broker.authority().caPem(), null, null);
    try (AdminClientKafkaAdmin operator = new AdminClientKafkaAdmin(connection)) {
      assertThatThrownBy(() -> operator.describeTopic(c.pipeline().topicName()))
          .isInstanceOfSatisfying(KafkaAdminException.class, e -> {
            assertThat(e.reason()).isEqualTo(KafkaAdminException.Reason.SaslAuthenticationFailed);
            assertThat(e.getMessage()).contains("spec.kafka.adminSecret").doesNotContain("wrong");
          });
    }
  }

  @Test
  void aMissingCaFailsAsTheConditionSays() throws Exception {
    Clients c = strimzi(pipeline(broker.scram(), true, true, KafkaAuthenticationType.SCRAM_SHA_512));
    Properties noCa = new Properties();
    noCa.putAll(c.consumer());
    noCa.remove("ssl.truststore.location");
    noCa.remove("ssl.truststore.type");
    assertThatThrownBy(() -> consume(noCa, c.pipeline().topicName(), 1))
        .isInstanceOf(SslAuthenticationException.class)
        .hasStackTraceContaining("PKIX path building failed");
    KafkaConnection connection = new KafkaConnection(broker.scram(), "SASL_SSL", "any", "any", null, null, null);
    try (AdminClientKafkaAdmin operator = new AdminClientKafkaAdmin(connection)) {
      assertThatThrownBy(() -> operator.describeTopic(c.pipeline().topicName()))
          .isInstanceOfSatisfying(KafkaAdminException.class, e -> {
            assertThat(e.reason()).isEqualTo(KafkaAdminException.Reason.SslAuthenticationFailed);
            assertThat(e.getMessage()).contains("spec.kafka.tls.caSecret");
          });
    }
  }

  /**
   * The shipper writes its topic, and cannot read it, nor write another; the indexer reads it
   * with its group, and cannot write it, nor read with another group.
   */
  void assertLeastPrivilege(Clients c) throws Exception {
    String topic = c.pipeline().topicName();
    String line = "line of " + c.pipeline().name();
    // SCRAM credentials reach the broker's cache a moment after they are created.
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .untilAsserted(() -> produce(c.producer(), topic, line));
    assertThatThrownBy(() -> produce(c.producer(), OTHER_TOPIC, "x"))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    Properties shipperReads = new Properties();
    shipperReads.putAll(c.consumer());
    for (String key : List.of("sasl.jaas.config", "ssl.keystore.location", "ssl.keystore.type")) {
      shipperReads.remove(key);
    }
    c.producer().forEach((k, v) -> {
      if (k.toString().startsWith("sasl.") || k.toString().startsWith("ssl.keystore")) {
        shipperReads.put(k, v);
      }
    });
    assertThatThrownBy(() -> consume(shipperReads, topic, 1))
        .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);

    assertThat(consume(c.consumer(), topic, 1)).containsExactly(line);
    Properties indexerWrites = new Properties();
    indexerWrites.putAll(c.producer());
    for (String key : List.of("sasl.jaas.config", "ssl.keystore.certificate.chain", "ssl.keystore.key")) {
      indexerWrites.remove(key);
    }
    c.consumer().forEach((k, v) -> {
      if (k.toString().equals("sasl.jaas.config") || k.toString().startsWith("ssl.keystore")) {
        indexerWrites.put(k, v);
      }
    });
    // Kafka's Java producer is idempotent and asks for a producer id first, which needs Write on
    // some topic: refused as a cluster authorization. Filebeat's client asks the topic directly.
    assertThatThrownBy(() -> produce(indexerWrites, topic, "forged"))
        .rootCause().isInstanceOfAny(TopicAuthorizationException.class, ClusterAuthorizationException.class);
    Properties otherGroup = new Properties();
    otherGroup.putAll(c.consumer());
    otherGroup.put(ConsumerConfig.GROUP_ID_CONFIG, "someone-else");
    assertThatThrownBy(() -> consume(otherGroup, topic, 1)).isInstanceOf(GroupAuthorizationException.class);
  }

  static void produce(Properties props, String topic, String value) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.send(new ProducerRecord<>(topic, value)).get();
    } catch (ExecutionException e) {
      throw e;
    }
  }

  /** Polls until {@code count} records arrived; throws what the consumer throws. */
  static List<String> consume(Properties props, String topic, int count) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(Set.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (values.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
          values.add(r.value());
        }
      }
      consumer.commitSync();
    }
    return values;
  }
}
