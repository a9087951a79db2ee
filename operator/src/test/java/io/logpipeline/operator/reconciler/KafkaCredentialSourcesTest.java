package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.api.KafkaTlsSpec;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.kafka.KafkaConnection;
import io.logpipeline.operator.model.KafkaSecurity.Credentials;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where the Kafka credentials are read from, and what a pipeline is told when one is missing. */
@EnableKubernetesMockClient(crud = true)
class KafkaCredentialSourcesTest {

  static KubernetesClient client;

  @AfterEach
  void clean() {
    client.secrets().inAnyNamespace().delete();
  }

  /** Strimzi in namespace "kafka", with TLS when {@code tls}, and this authentication. */
  static Consumer<LogPipelineSpec> strimzi(boolean tls, KafkaAuthenticationType type) {
    return spec -> {
      spec.getKafka().setNamespace("kafka");
      if (tls) {
        spec.getKafka().setTls(new KafkaTlsSpec());
      }
      KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
      auth.setType(type);
      spec.getKafka().setAuthentication(auth);
    };
  }

  /** An external Kafka with a CA Secret "kafka-ca" (when {@code ca}) and per-role Secrets. */
  static Consumer<LogPipelineSpec> external(boolean ca, KafkaAuthenticationType type) {
    return spec -> {
      spec.getKafka().setCluster(null);
      spec.getKafka().setBootstrapServers("b-1.msk.example.com:9096");
      KafkaTlsSpec tls = new KafkaTlsSpec();
      if (ca) {
        SecretKeySpec caSecret = new SecretKeySpec();
        caSecret.setName("kafka-ca");
        caSecret.setKey("root.pem");
        tls.setCaSecret(caSecret);
      }
      spec.getKafka().setTls(tls);
      KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
      auth.setType(type);
      if (type != KafkaAuthenticationType.NONE) {
        auth.setShipperSecret(ref("kafka-shipper"));
        auth.setIndexerSecret(ref("kafka-indexer"));
        spec.getKafka().setAdminSecret(ref("kafka-admin"));
      }
      spec.getKafka().setAuthentication(auth);
    };
  }

  static KafkaCredentialsRef ref(String name) {
    KafkaCredentialsRef r = new KafkaCredentialsRef();
    r.setName(name);
    return r;
  }

  static void secret(String namespace, String name, Map<String, String> values) {
    Map<String, String> data = new java.util.HashMap<>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name)
        .withNamespace(namespace).endMetadata().withData(data).build()).create();
  }

  @Test
  void strimziScramReadsTheClusterCaAndTheUserOperatorsSecretInTheKafkaNamespace() {
    Pipeline p = ReconcilerFixtures.pipeline(strimzi(true, KafkaAuthenticationType.SCRAM_SHA_512));
    secret("kafka", "my-cluster-cluster-ca-cert", Map.of("ca.crt", "CA"));
    secret("kafka", "team-a.app-shipper", Map.of("password", "pw", "sasl.jaas.config", "jaas line"));
    secret("kafka", "team-a.app-indexer", Map.of("password", "other"));

    KafkaCredentialSources.Read read = KafkaCredentialSources.read(client, p, Role.SHIPPER);

    assertThat(read.missing()).isNull();
    assertThat(read.credentials()).isEqualTo(new Credentials("CA", "team-a.app-shipper", "pw", "jaas line", null, null));
    assertThat(KafkaCredentialSources.read(client, p, Role.INDEXER).credentials())
        .isEqualTo(new Credentials("CA", "team-a.app-indexer", "other", null, null, null));
  }

  @Test
  void aMissingStrimziCaIsNamedWithWhoWritesIt() {
    Pipeline p = ReconcilerFixtures.pipeline(strimzi(true, KafkaAuthenticationType.SCRAM_SHA_512));
    secret("kafka", "team-a.app-shipper", Map.of("password", "pw"));
    // Present but without the key: as missing.
    secret("kafka", "my-cluster-cluster-ca-cert", Map.of("ca.p12", "binary"));

    KafkaCredentialSources.Read read = KafkaCredentialSources.read(client, p, Role.SHIPPER);

    assertThat(read.credentials()).isNull();
    assertThat(read.missing()).isEqualTo("the CA in Secret kafka/my-cluster-cluster-ca-cert, key ca.crt"
        + " (Strimzi writes it when the Kafka cluster is ready)");
  }

  @Test
  void aMissingStrimziUserSecretIsNamedWithItsKafkaUser() {
    Pipeline p = ReconcilerFixtures.pipeline(strimzi(false, KafkaAuthenticationType.SCRAM_SHA_512));
    String expected = "the Secret kafka/team-a.app-shipper of KafkaUser team-a.app-shipper"
        + " (Strimzi's User Operator writes it)";
    assertThat(KafkaCredentialSources.read(client, p, Role.SHIPPER).missing()).isEqualTo(expected);
    // The Secret without its password is not enough.
    secret("kafka", "team-a.app-shipper", Map.of("sasl.jaas.config", "jaas line"));
    assertThat(KafkaCredentialSources.read(client, p, Role.SHIPPER).missing()).isEqualTo(expected);
  }

  @Test
  void strimziMutualTlsNeedsBothTheCertificateAndTheKey() {
    Pipeline p = ReconcilerFixtures.pipeline(strimzi(true, KafkaAuthenticationType.TLS));
    secret("kafka", "my-cluster-cluster-ca-cert", Map.of("ca.crt", "CA"));
    secret("kafka", "team-a.app-indexer", Map.of("user.crt", "CERT"));
    assertThat(KafkaCredentialSources.read(client, p, Role.INDEXER).missing())
        .isEqualTo("the Secret kafka/team-a.app-indexer of KafkaUser team-a.app-indexer (Strimzi's User Operator writes it)");
    secret("kafka", "team-a.app-shipper", Map.of("user.key", "KEY"));
    assertThat(KafkaCredentialSources.read(client, p, Role.SHIPPER).missing()).isNotNull();

    client.secrets().inNamespace("kafka").withName("team-a.app-indexer").delete();
    secret("kafka", "team-a.app-indexer", Map.of("user.crt", "CERT", "user.key", "KEY"));
    assertThat(KafkaCredentialSources.read(client, p, Role.INDEXER))
        .isEqualTo(new KafkaCredentialSources.Read(new Credentials("CA", null, null, null, "CERT", "KEY"), null));
  }

  @Test
  void withoutAuthenticationOnlyTheCaIsRead() {
    Pipeline p = ReconcilerFixtures.pipeline(strimzi(true, KafkaAuthenticationType.NONE));
    secret("kafka", "my-cluster-cluster-ca-cert", Map.of("ca.crt", "CA"));
    assertThat(KafkaCredentialSources.read(client, p, Role.SHIPPER))
        .isEqualTo(new KafkaCredentialSources.Read(new Credentials("CA", null, null, null, null, null), null));
    Pipeline plain = ReconcilerFixtures.pipeline(strimzi(false, KafkaAuthenticationType.NONE));
    assertThat(KafkaCredentialSources.read(client, plain, Role.SHIPPER).credentials())
        .isEqualTo(new Credentials(null, null, null, null, null, null));
  }

  @Test
  void anExternalKafkaReadsEachRolesSecretInThePipelinesNamespace() {
    Pipeline p = ReconcilerFixtures.pipeline(external(true, KafkaAuthenticationType.SCRAM_SHA_512));
    secret("team-a", "kafka-ca", Map.of("root.pem", "CA"));
    secret("team-a", "kafka-shipper", Map.of("username", "fb", "password", "fb-pw"));
    secret("team-a", "kafka-indexer", Map.of("username", "ls"));

    assertThat(KafkaCredentialSources.read(client, p, Role.SHIPPER).credentials())
        .isEqualTo(new Credentials("CA", "fb", "fb-pw", null, null, null));
    assertThat(KafkaCredentialSources.read(client, p, Role.INDEXER).missing())
        .isEqualTo("Secret team-a/kafka-indexer with keys username and password");
  }

  @Test
  void anExternalCaIsReadInThePipelinesNamespaceAndNamedWithItsKey() {
    Pipeline p = ReconcilerFixtures.pipeline(external(true, KafkaAuthenticationType.SCRAM_SHA_512));
    secret("kafka", "kafka-ca", Map.of("root.pem", "CA elsewhere"));
    assertThat(KafkaCredentialSources.read(client, p, Role.SHIPPER).missing())
        .isEqualTo("the CA in Secret team-a/kafka-ca, key root.pem");
  }

  @Test
  void anExternalMutualTlsSecretNeedsItsCertificateAndKeyKeys() {
    Pipeline p = ReconcilerFixtures.pipeline(external(false, KafkaAuthenticationType.TLS));
    secret("team-a", "kafka-shipper", Map.of("tls.key", "KEY"));
    assertThat(KafkaCredentialSources.read(client, p, Role.SHIPPER).missing())
        .isEqualTo("Secret team-a/kafka-shipper with keys tls.crt and tls.key");
    secret("team-a", "kafka-indexer", Map.of("tls.crt", "CERT"));
    assertThat(KafkaCredentialSources.read(client, p, Role.INDEXER).missing())
        .isEqualTo("Secret team-a/kafka-indexer with keys tls.crt and tls.key");
    client.secrets().inNamespace("team-a").withName("kafka-shipper").delete();
    secret("team-a", "kafka-shipper", Map.of("tls.crt", "CERT", "tls.key", "KEY"));
    assertThat(KafkaCredentialSources.read(client, p, Role.SHIPPER).credentials())
        .isEqualTo(new Credentials(null, null, null, null, "CERT", "KEY"));
  }

  @Test
  void theOperatorsOwnConnectionUsesTheAdminSecret() {
    Pipeline p = ReconcilerFixtures.pipeline(external(true, KafkaAuthenticationType.SCRAM_SHA_512));
    secret("team-a", "kafka-ca", Map.of("root.pem", "CA"));
    secret("team-a", "kafka-admin", Map.of("username", "admin", "password", "admin-pw"));
    secret("team-a", "kafka-shipper", Map.of("username", "fb", "password", "fb-pw"));

    assertThat(KafkaCredentialSources.adminConnection(client, p)).isEqualTo(new KafkaConnection(
        "b-1.msk.example.com:9096", "SASL_SSL", "admin", "admin-pw", "CA", null, null));
  }

  @Test
  void theOperatorsOwnConnectionWithoutAuthenticationNeedsOnlyTheCa() {
    Pipeline none = ReconcilerFixtures.pipeline(external(false, KafkaAuthenticationType.NONE));
    assertThat(KafkaCredentialSources.adminConnection(client, none)).isEqualTo(new KafkaConnection(
        "b-1.msk.example.com:9096", "SSL", null, null, null, null, null));
    Pipeline withCa = ReconcilerFixtures.pipeline(external(true, KafkaAuthenticationType.NONE));
    secret("team-a", "kafka-ca", Map.of("root.pem", "CA"));
    assertThat(KafkaCredentialSources.adminConnection(client, withCa).caPem()).isEqualTo("CA");
  }

  @Test
  void theOperatorsOwnConnectionNamesWhatIsMissing() {
    Pipeline p = ReconcilerFixtures.pipeline(external(true, KafkaAuthenticationType.TLS));
    assertThatThrownBy(() -> KafkaCredentialSources.adminConnection(client, p))
        .isInstanceOfSatisfying(StageException.class, e -> assertThat(e.reason()).isEqualTo("SecretNotFound"))
        .hasMessage("cannot reach Kafka: the CA in Secret team-a/kafka-ca, key root.pem is missing");
    secret("team-a", "kafka-ca", Map.of("root.pem", "CA"));
    assertThatThrownBy(() -> KafkaCredentialSources.adminConnection(client, p))
        .isInstanceOfSatisfying(StageException.class, e -> assertThat(e.reason()).isEqualTo("SecretNotFound"))
        .hasMessage("cannot reach Kafka: Secret team-a/kafka-admin with keys tls.crt and tls.key is missing");
  }

  @Test
  void aValueIsReadFromDataElseFromStringData() {
    Secret both = new SecretBuilder()
        .withData(Map.of("a", Base64.getEncoder().encodeToString("from data".getBytes(StandardCharsets.UTF_8))))
        .withStringData(Map.of("a", "from stringData", "b", "only stringData")).build();
    assertThat(KafkaCredentialSources.value(both, "a")).isEqualTo("from data");
    assertThat(KafkaCredentialSources.value(both, "b")).isEqualTo("only stringData");
    assertThat(KafkaCredentialSources.value(both, "c")).isNull();
    assertThat(KafkaCredentialSources.value(new Secret(), "a")).isNull();
    assertThat(KafkaCredentialSources.value(null, "a")).isNull();
  }
}
