package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.api.KafkaTlsSpec;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.model.KafkaSecurity.Credentials;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserTlsClientAuthentication;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Filebeat's Kafka output and Logstash's kafka input for every combination of Kafka (Strimzi or
 * external), TLS and authentication; the pods' mounts; the copied Secrets; the KafkaUsers.
 */
class KafkaSecurityTest {

  static Consumer<LogPipelineSpec> kafka(boolean strimzi, boolean tls, boolean ca, KafkaAuthenticationType type) {
    return spec -> {
      var k = spec.getKafka();
      if (!strimzi) {
        k.setCluster(null);
        k.setBootstrapServers("b-1.msk.example.com:9096");
      }
      if (tls) {
        KafkaTlsSpec t = new KafkaTlsSpec();
        if (ca && !strimzi) {
          SecretKeySpec s = new SecretKeySpec();
          s.setName("kafka-ca");
          t.setCaSecret(s);
        }
        k.setTls(t);
      }
      KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
      auth.setType(type);
      if (!strimzi && type != KafkaAuthenticationType.NONE) {
        auth.setShipperSecret(ref("kafka-shipper"));
        auth.setIndexerSecret(ref("kafka-indexer"));
        k.setAdminSecret(ref("kafka-admin"));
      }
      k.setAuthentication(auth);
    };
  }

  static KafkaCredentialsRef ref(String name) {
    KafkaCredentialsRef r = new KafkaCredentialsRef();
    r.setName(name);
    return r;
  }

  /** strimzi, tls, a CA Secret, authentication; then the protocol, whether a CA file, whether the pods mount a Secret. */
  static Stream<Arguments> combinations() {
    return Stream.of(
        Arguments.of(true, false, false, KafkaAuthenticationType.NONE, "PLAINTEXT", false, false),
        Arguments.of(true, false, false, KafkaAuthenticationType.SCRAM_SHA_512, "SASL_PLAINTEXT", false, true),
        Arguments.of(true, true, true, KafkaAuthenticationType.NONE, "SSL", true, true),
        Arguments.of(true, true, true, KafkaAuthenticationType.SCRAM_SHA_512, "SASL_SSL", true, true),
        Arguments.of(true, true, true, KafkaAuthenticationType.TLS, "SSL", true, true),
        Arguments.of(false, false, false, KafkaAuthenticationType.NONE, "PLAINTEXT", false, false),
        Arguments.of(false, true, false, KafkaAuthenticationType.NONE, "SSL", false, false),
        Arguments.of(false, true, false, KafkaAuthenticationType.SCRAM_SHA_512, "SASL_SSL", false, true),
        Arguments.of(false, true, true, KafkaAuthenticationType.SCRAM_SHA_512, "SASL_SSL", true, true),
        Arguments.of(false, true, true, KafkaAuthenticationType.TLS, "SSL", true, true),
        Arguments.of(false, true, false, KafkaAuthenticationType.TLS, "SSL", false, true));
  }

  @ParameterizedTest
  @MethodSource("combinations")
  void everyCombinationRendersMatchingClients(boolean strimzi, boolean tls, boolean ca, KafkaAuthenticationType type,
      String protocol, boolean caFile, boolean secret) throws Exception {
    Pipeline p = Pipeline.resolve(Specs.minimal(kafka(strimzi, tls, ca, type)));
    assertThat(KafkaSecurity.protocol(p)).isEqualTo(protocol);
    assertThat(KafkaSecurity.needsSecret(p)).isEqualTo(secret);
    if (strimzi) {
      assertThat(p.bootstrapServers()).isEqualTo("my-cluster-kafka-bootstrap.logging.svc:" + (tls ? 9093 : 9092));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> output = (Map<String, Object>) ShipperModel.filebeatConfig(p).get("output.kafka");
    Map<String, String> input = LogstashConfig.parse(IndexerModel.pipelineConfig(p)).plugin("input", "kafka")
        .settings().entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString()));
    boolean scram = type == KafkaAuthenticationType.SCRAM_SHA_512;
    boolean mtls = type == KafkaAuthenticationType.TLS;

    assertThat(output.get("ssl.enabled")).isEqualTo(tls ? true : null);
    assertThat(output.get("sasl.mechanism")).isEqualTo(scram ? "SCRAM-SHA-512" : null);
    assertThat(output.get("password")).isEqualTo(scram ? "${KAFKA_PASSWORD}" : null);
    assertThat(output.get("ssl.certificate_authorities"))
        .isEqualTo(caFile ? List.of("/usr/share/filebeat/kafka/ca.crt") : null);
    assertThat(output.get("ssl.key")).isEqualTo(mtls ? "/usr/share/filebeat/kafka/user.key" : null);

    assertThat(input.get("security_protocol")).isEqualTo(protocol.equals("PLAINTEXT") ? null : protocol);
    // Always named with SASL: the plugin's default would be GSSAPI.
    assertThat(input.get("sasl_mechanism")).isEqualTo(scram ? "SCRAM-SHA-512" : null);
    assertThat(input.get("sasl_jaas_config")).isEqualTo(scram ? "${KAFKA_SASL_JAAS_CONFIG}" : null);
    assertThat(input.get("ssl_truststore_location")).isEqualTo(caFile ? "/usr/share/logstash/kafka/ca.crt" : null);
    assertThat(input.get("ssl_keystore_location")).isEqualTo(mtls ? "/usr/share/logstash/kafka/keystore.pem" : null);

    PodTemplateSpec shipper = ShipperModel.daemonSet(p).getSpec().getTemplate();
    PodTemplateSpec indexer = IndexerModel.statefulSet(p).getSpec().getTemplate();
    assertMounts(shipper, "filebeat", secret ? "payments-kafka-shipper" : null);
    assertMounts(indexer, "logstash", secret ? "payments-kafka-indexer" : null);
    Container filebeat = shipper.getSpec().getContainers().get(0);
    assertThat(filebeat.getEnv()).filteredOn(e -> e.getName().equals("KAFKA_PASSWORD"))
        .hasSize(scram ? 1 : 0).allSatisfy(e -> assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password"));
    // Logstash never gets the shipper's credentials, and the other way round.
    assertThat(indexer.getSpec().getContainers().get(0).getEnv()).noneMatch(e -> e.getName().equals("KAFKA_PASSWORD"));
    assertThat(filebeat.getEnv()).noneMatch(e -> e.getName().equals("KAFKA_SASL_JAAS_CONFIG"));

    assertThat(KafkaUserModel.enabled(p)).isEqualTo(strimzi && type != KafkaAuthenticationType.NONE);
  }

  static void assertMounts(PodTemplateSpec pod, String container, String secretName) {
    var volumes = pod.getSpec().getVolumes().stream().filter(v -> v.getSecret() != null
        && v.getSecret().getSecretName().contains("-kafka-")).toList();
    if (secretName == null) {
      assertThat(volumes).isEmpty();
      return;
    }
    assertThat(volumes).singleElement().satisfies(v -> {
      assertThat(v.getSecret().getSecretName()).isEqualTo(secretName);
      assertThat(v.getSecret().getDefaultMode()).isEqualTo(0440);
    });
    assertThat(pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(container)).findFirst()
        .orElseThrow().getVolumeMounts()).anySatisfy(m -> {
          assertThat(m.getName()).isEqualTo(volumes.get(0).getName());
          assertThat(m.getReadOnly()).isTrue();
        });
  }

  @Test
  void copiesHoldTheSameKeysWhateverTheSourceAndAJaasLineThatQuotes() throws Exception {
    Pipeline external = Pipeline.resolve(Specs.minimal(kafka(false, true, true, KafkaAuthenticationType.SCRAM_SHA_512)));
    var copy = KafkaSecurity.secret(external, Role.SHIPPER, new Credentials("CA", "u", "p\"w\\d", null, null, null));
    assertThat(copy.getMetadata().getName()).isEqualTo("payments-kafka-shipper");
    assertThat(copy.getData()).containsOnlyKeys("ca.crt", "username", "password", "sasl.jaas.config");
    assertThat(decode(copy.getData().get("sasl.jaas.config")))
        .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\\\"w\\\\d\";");
    Pipeline strimzi = Pipeline.resolve(Specs.minimal(kafka(true, true, true, KafkaAuthenticationType.TLS)));
    var tls = KafkaSecurity.secret(strimzi, Role.INDEXER, new Credentials("CA", null, null, null, "CERT", "KEY"));
    assertThat(tls.getData()).containsOnlyKeys("ca.crt", "user.crt", "user.key", "keystore.pem");
    assertThat(decode(tls.getData().get("keystore.pem"))).isEqualTo("KEY\nCERT\n");
    // The copy is the indexer's: its pods select it by the indexer's labels, never the shipper's.
    assertThat(tls.getMetadata().getLabels()).containsEntry(Pipeline.LABEL_COMPONENT, Pipeline.COMPONENT_INDEXER);
  }

  @Test
  void kafkaUsersAreUniqueAcrossNamespacesAndFitACommonName() throws Exception {
    Pipeline a = Pipeline.resolve(Specs.pipeline("a-b", "team", kafka(true, true, true, KafkaAuthenticationType.TLS)));
    Pipeline b = Pipeline.resolve(Specs.pipeline("b", "team-a", kafka(true, true, true, KafkaAuthenticationType.TLS)));
    assertThat(KafkaSecurity.userName(a, Role.SHIPPER)).isEqualTo("team.a-b-shipper")
        .isNotEqualTo(KafkaSecurity.userName(b, Role.SHIPPER));
    Pipeline longName = Pipeline.resolve(Specs.pipeline("x".repeat(200), "logging", kafka(true, true, true, KafkaAuthenticationType.TLS)));
    Pipeline longOther = Pipeline.resolve(Specs.pipeline("x".repeat(199) + "y", "logging", kafka(true, true, true, KafkaAuthenticationType.TLS)));
    assertThat(KafkaSecurity.userName(longName, Role.INDEXER)).hasSizeLessThanOrEqualTo(64).endsWith("-indexer")
        .isNotEqualTo(KafkaSecurity.userName(longOther, Role.INDEXER));
    var user = KafkaUserModel.kafkaUser(a, Role.INDEXER);
    assertThat(user.getMetadata().getNamespace()).isEqualTo(a.kafkaNamespace());
    assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserTlsClientAuthentication.class);
    assertThat(((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()).hasSize(2);
  }

  @Test
  void aGroupsKafkaUserWritesToExactlyItsPipelinesTopicsByLiteralName() throws Exception {
    Pipeline a = Pipeline.resolve(Specs.pipeline("app", "team-a", kafka(true, true, true, KafkaAuthenticationType.TLS)));
    var g = new SharedShipperModel.Group(SharedShipperModelTest.shipperClass("default"), "logpipeline-system",
        "lp-shipper-default-0123abcd", List.of(a));
    var user = KafkaUserModel.sharedShipperUser(g, java.util.Set.of("logs.team-b.app", "logs.team-a.app"));
    assertThat(user.getMetadata().getName()).isEqualTo("lp-shipper-default-0123abcd");
    assertThat(user.getMetadata().getNamespace()).isEqualTo(a.kafkaNamespace());
    assertThat(user.getMetadata().getLabels()).containsEntry(BufferModel.STRIMZI_CLUSTER_LABEL, "my-cluster")
        .containsEntry(SharedShipperModel.LABEL_SHIPPER_CLASS, "default")
        .containsEntry(Pipeline.LABEL_COMPONENT, Pipeline.COMPONENT_SHIPPER);
    assertThat(user.getSpec().getAuthentication()).isInstanceOf(KafkaUserTlsClientAuthentication.class);
    var acls = ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls();
    assertThat(acls).hasSize(2).allSatisfy(acl -> {
      var topic = (io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource) acl.getResource();
      assertThat(topic.getPatternType()).isEqualTo(io.strimzi.api.kafka.model.user.acl.AclResourcePatternType.LITERAL);
      assertThat(acl.getOperations()).containsExactlyInAnyOrder(
          io.strimzi.api.kafka.model.user.acl.AclOperation.WRITE, io.strimzi.api.kafka.model.user.acl.AclOperation.DESCRIBE);
    });
    assertThat(KafkaUserModel.topics(user)).containsExactly("logs.team-a.app", "logs.team-b.app");
    assertThat(((KafkaUserAuthorizationSimple) KafkaUserModel.sharedShipperUser(g, java.util.Set.of())
        .getSpec().getAuthorization()).getAcls()).isEmpty();
  }

  @Test
  void scramOverPlaintextIsAWarning() throws Exception {
    Pipeline p = Pipeline.resolve(Specs.minimal(kafka(true, false, false, KafkaAuthenticationType.SCRAM_SHA_512)));
    assertThat(p.warnings()).extracting(SpecProblem::field).contains("spec.kafka.tls");
  }

  static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
