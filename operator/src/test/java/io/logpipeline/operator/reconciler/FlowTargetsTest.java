package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaTlsSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.health.FlowTarget;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What the flow observer is given to watch a pipeline: the Kafka connections (the listener, or
 * each pipeline's own KafkaUsers: the indexer's for lag, the shipper's for the canary), the
 * credentials read from the Secrets now, and what is missing said instead of a connection.
 */
@EnableKubernetesMockClient(crud = true)
class FlowTargetsTest {

  static KubernetesClient client;
  static final AtomicInteger names = new AtomicInteger();

  final String ns = "flow-" + names.incrementAndGet();

  LogPipeline lp(Consumer<LogPipeline> edit) {
    LogPipeline lp = TestLogPipelines.minimal("app", ns, "https://es:9200");
    lp.setMetadata(new ObjectMetaBuilder(lp.getMetadata()).withUid("uid-1").build());
    edit.accept(lp);
    return lp;
  }

  FlowTarget target(LogPipeline lp) {
    Pipeline p = StubbedContext.valid(lp);
    StubbedContext ctx = new StubbedContext(client).forDependents(p, InMemorySearch.clients(), new KafkaClients(c -> null));
    return FlowTargets.of(p, ctx.context);
  }

  void secret(String name, String key, String value) {
    client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
        .addToStringData(key, value).build()).create();
  }

  static final Consumer<LogPipeline> TLS = lp -> lp.getSpec().getKafka().setTls(new KafkaTlsSpec());

  static Consumer<LogPipeline> auth(KafkaAuthenticationType type) {
    return lp -> {
      KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
      auth.setType(type);
      lp.getSpec().getKafka().setAuthentication(auth);
    };
  }

  @Test
  void strimziWithoutAuthenticationSharesTheListener() {
    FlowTarget target = target(lp(x -> {}));
    assertThat(target.kafkaProblem()).isNull();
    assertThat(target.kafka().bootstrapServers()).isEqualTo("my-cluster-kafka-bootstrap." + ns + ".svc:9092");
    assertThat(target.kafka().username()).isNull();
    assertThat(target.kafka().caPem()).isNull();
    assertThat(target.canaryKafka()).isSameAs(target.kafka());
    assertThat(target.search().hosts()).extracting(Object::toString).containsExactly("https://es:9200");
  }

  @Test
  void strimziTlsTrustsTheClusterCa() {
    secret("my-cluster-cluster-ca-cert", "ca.crt", "PEM");
    FlowTarget target = target(lp(TLS));
    assertThat(target.kafka().caPem()).isEqualTo("PEM");
    assertThat(target.kafka().securityProtocol()).isEqualTo("SSL");
  }

  @Test
  void aMissingClusterCaIsTheProblem() {
    FlowTarget target = target(lp(TLS));
    assertThat(target.kafka()).isNull();
    assertThat(target.canaryKafka()).isNull();
    assertThat(target.kafkaProblem()).isEqualTo("cannot reach Kafka: the CA in Secret " + ns
        + "/my-cluster-cluster-ca-cert is missing");
  }

  @Test
  void withAuthenticationEachRoleUsesItsOwnKafkaUser() {
    LogPipeline lp = lp(auth(KafkaAuthenticationType.SCRAM_SHA_512));
    Pipeline p = StubbedContext.valid(lp);
    secret(KafkaSecurity.userName(p, Role.INDEXER), "password", "indexer-pw");
    secret(KafkaSecurity.userName(p, Role.SHIPPER), "password", "shipper-pw");

    FlowTarget target = target(lp);

    assertThat(target.kafkaProblem()).isNull();
    assertThat(target.kafka().username()).isEqualTo(KafkaSecurity.userName(p, Role.INDEXER));
    assertThat(target.kafka().password()).isEqualTo("indexer-pw");
    assertThat(target.canaryKafka().username()).isEqualTo(KafkaSecurity.userName(p, Role.SHIPPER));
    assertThat(target.canaryKafka().password()).isEqualTo("shipper-pw");
    assertThat(target.kafka().securityProtocol()).isEqualTo("SASL_PLAINTEXT");
  }

  @Test
  void aKafkaUserWithoutItsSecretIsTheProblem() {
    LogPipeline lp = lp(auth(KafkaAuthenticationType.TLS).andThen(TLS));
    secret("my-cluster-cluster-ca-cert", "ca.crt", "PEM");
    FlowTarget target = target(lp);
    assertThat(target.kafka()).isNull();
    assertThat(target.kafkaProblem()).startsWith("cannot reach Kafka: the Secret " + ns + "/")
        .endsWith("is missing");
  }

  @Test
  void externalKafkaUsesTheOperatorsConnection() {
    FlowTarget target = target(lp(x -> {
      x.getSpec().getKafka().setCluster(null);
      x.getSpec().getKafka().setBootstrapServers("b-1.msk.example:9092");
    }));
    assertThat(target.kafkaProblem()).isNull();
    assertThat(target.kafka().bootstrapServers()).isEqualTo("b-1.msk.example:9092");
    assertThat(target.canaryKafka()).isSameAs(target.kafka());
  }
}
