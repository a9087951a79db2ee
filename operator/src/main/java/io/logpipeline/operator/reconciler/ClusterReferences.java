package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.model.BufferModel;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SpecProblem;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The part of validation that needs the cluster: what the spec refers to must exist before
 * anything is written (the Secrets and their keys, the Strimzi Kafka cluster), and the topic may
 * not shrink. Reads only; a check the operator is not allowed to make is skipped, not failed.
 */
final class ClusterReferences {

  private static final Logger log = LoggerFactory.getLogger(ClusterReferences.class);
  static final String KAFKA_CRD = "kafkas.kafka.strimzi.io";

  private final Clock clock;
  private final Duration crdRecheck;
  private volatile Optional<String> kafkaVersion = Optional.empty();
  private volatile Instant crdCheckedAt = Instant.EPOCH;
  /**
   * When each Kafka cluster ("namespace/name") was last found. Many pipelines share a cluster,
   * and every reconcile checks it: a cluster found less than crdRecheck ago is not read again.
   * A missing one is read every time, so that it is noticed as soon as it is created.
   */
  private final Map<String, Instant> kafkaFoundAt = new ConcurrentHashMap<>();
  /** Brokers of each Kafka cluster ("namespace/name"), and when they were counted. */
  private final Map<String, BrokerCount> brokerCounts = new ConcurrentHashMap<>();

  ClusterReferences(Clock clock, Duration crdRecheck) {
    this.clock = clock;
    this.crdRecheck = crdRecheck;
  }

  List<SpecProblem> check(Pipeline p, KubernetesClient client, Optional<KafkaTopic> existingTopic) {
    List<SpecProblem> problems = new ArrayList<>();
    var es = p.spec().getElasticsearch();
    CredentialsSecretRef creds = es.getCredentialsSecret();
    if (creds != null) {
      String base = "spec.elasticsearch.credentialsSecret";
      secret(client, p, creds.getName(), base + ".name", problems).ifPresent(secret -> {
        if (IndexerModel.usesApiKey(creds)) {
          key(secret, creds.getApiKeyKey(), base + ".apiKeyKey", problems);
        } else {
          key(secret, creds.getUsernameKey(), base + ".usernameKey", problems);
          key(secret, creds.getPasswordKey(), base + ".passwordKey", problems);
        }
      });
    }
    if (es.getTls() != null && es.getTls().getCaSecret() != null) {
      SecretKeySpec ca = es.getTls().getCaSecret();
      secret(client, p, ca.getName(), "spec.elasticsearch.tls.caSecret.name", problems)
          .ifPresent(secret -> key(secret, ca.getKey(), "spec.elasticsearch.tls.caSecret.key", problems));
    }
    if (KafkaSecurity.strimzi(p)) {
      kafkaCluster(client, p).ifPresent(problems::add);
    } else {
      externalKafkaSecrets(client, p, problems);
    }
    existingTopic.map(t -> t.getSpec() == null ? null : t.getSpec().getPartitions())
        .filter(existing -> existing > partitions(p))
        .ifPresent(existing -> problems.add(new SpecProblem("spec.kafka.topic.partitions",
            "is " + partitions(p) + " but topic " + p.topicName() + " already has " + existing
                + " partitions, and Kafka cannot remove partitions: use " + existing + " or more")));
    return problems;
  }

  /**
   * The Secrets an external Kafka's spec names, in the pipeline's namespace: the CA, and each
   * client's and the operator's credentials with the keys the authentication type reads.
   */
  private static void externalKafkaSecrets(KubernetesClient client, Pipeline p, List<SpecProblem> problems) {
    var kafka = p.spec().getKafka();
    if (kafka.getTls() != null && kafka.getTls().getCaSecret() != null) {
      SecretKeySpec ca = kafka.getTls().getCaSecret();
      secret(client, p, ca.getName(), "spec.kafka.tls.caSecret.name", problems)
          .ifPresent(secret -> key(secret, KafkaSecurity.caSecretKey(p), "spec.kafka.tls.caSecret.key", problems));
    }
    KafkaAuthenticationType type = KafkaSecurity.authentication(p);
    if (type == KafkaAuthenticationType.NONE) {
      return;
    }
    credentials(client, p, kafka.getAuthentication().getShipperSecret(), "spec.kafka.authentication.shipperSecret", type, problems);
    credentials(client, p, kafka.getAuthentication().getIndexerSecret(), "spec.kafka.authentication.indexerSecret", type, problems);
    credentials(client, p, kafka.getAdminSecret(), "spec.kafka.adminSecret", type, problems);
  }

  private static void credentials(KubernetesClient client, Pipeline p, KafkaCredentialsRef ref, String base,
      KafkaAuthenticationType type, List<SpecProblem> problems) {
    secret(client, p, ref.getName(), base + ".name", problems).ifPresent(secret -> {
      if (type == KafkaAuthenticationType.SCRAM_SHA_512) {
        key(secret, ref.getUsernameKey(), base + ".usernameKey", problems);
        key(secret, ref.getPasswordKey(), base + ".passwordKey", problems);
      } else {
        key(secret, ref.getCertificateKey(), base + ".certificateKey", problems);
        key(secret, ref.getKeyKey(), base + ".keyKey", problems);
      }
    });
  }

  private static int partitions(Pipeline p) {
    return p.spec().getKafka().getTopic() == null ? 6 : p.spec().getKafka().getTopic().getPartitions();
  }

  private static Optional<Secret> secret(KubernetesClient client, Pipeline p, String name,
      String field, List<SpecProblem> problems) {
    Secret secret = client.secrets().inNamespace(p.namespace()).withName(name).get();
    if (secret == null) {
      problems.add(new SpecProblem(field, "Secret " + name + " does not exist in namespace "
          + p.namespace() + ": create it, or fix the name"));
    }
    return Optional.ofNullable(secret);
  }

  private static void key(Secret secret, String key, String field, List<SpecProblem> problems) {
    boolean present = (secret.getData() != null && secret.getData().containsKey(key))
        || (secret.getStringData() != null && secret.getStringData().containsKey(key));
    if (!present) {
      problems.add(new SpecProblem(field, "Secret " + secret.getMetadata().getName()
          + " has no key '" + key + "': add it, or name the key that holds the value"));
    }
  }

  /** The named Strimzi Kafka must exist; skipped when Strimzi's Kafka CRD is not installed. */
  private Optional<SpecProblem> kafkaCluster(KubernetesClient client, Pipeline p) {
    Optional<String> version = kafkaApiVersion(client);
    if (version.isEmpty()) {
      return Optional.empty();
    }
    String cluster = p.spec().getKafka().getCluster();
    String key = p.kafkaNamespace() + "/" + cluster;
    Instant now = clock.instant();
    Instant found = kafkaFoundAt.get(key);
    if (found != null && Duration.between(found, now).compareTo(crdRecheck) < 0) {
      return Optional.empty();
    }
    try {
      var kafka = client.genericKubernetesResources("kafka.strimzi.io/" + version.get(), "Kafka")
          .inNamespace(p.kafkaNamespace()).withName(cluster).get();
      if (kafka == null) {
        kafkaFoundAt.remove(key);
        return Optional.of(new SpecProblem("spec.kafka.cluster", "no Strimzi Kafka '" + cluster
            + "' in namespace " + p.kafkaNamespace() + ": fix spec.kafka.cluster or spec.kafka.namespace"));
      }
      kafkaFoundAt.put(key, now);
    } catch (KubernetesClientException e) {
      log.debug("cannot check Kafka {}/{}: {}", p.kafkaNamespace(), cluster, e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * What the spec asks of the Kafka cluster beyond its existence: the replication factor. Checked
   * once the references are there.
   */
  List<SpecProblem> kafkaCapacity(Pipeline p, KubernetesClient client, Optional<KafkaTopic> existingTopic) {
    return replicationFactor(client, p, existingTopic).map(List::of).orElse(List.of());
  }

  /**
   * A replication factor above the cluster's brokers leaves the KafkaTopic NotReady for good:
   * reported before the topic is created or changed, not once it is stuck. A topic Strimzi
   * reports Ready is left alone (the brokers may be down for maintenance; Kafka reports that).
   */
  private Optional<SpecProblem> replicationFactor(KubernetesClient client, Pipeline p,
      Optional<KafkaTopic> existingTopic) {
    int replicas = p.spec().getKafka().getTopic() == null ? 3 : p.spec().getKafka().getTopic().getReplicas();
    boolean readyAsIs = existingTopic.filter(t -> t.getSpec() != null
        && Objects.equals(t.getSpec().getReplicas(), replicas) && ready(t)).isPresent();
    if (readyAsIs) {
      return Optional.empty();
    }
    Optional<Integer> brokers = brokers(client, p);
    if (brokers.isEmpty() || replicas <= brokers.get()) {
      return Optional.empty();
    }
    String cluster = p.spec().getKafka().getCluster();
    return Optional.of(new SpecProblem("spec.kafka.topic.replicas", "is " + replicas
        + " but Strimzi Kafka " + cluster + " has " + brokers.get() + " broker"
        + (brokers.get() == 1 ? "" : "s") + ", so the topic cannot be created: use at most "
        + brokers.get() + " (min.insync.replicas follows: replicas - 1, at least 1), or add brokers"));
  }

  private static boolean ready(KafkaTopic topic) {
    return topic.getStatus() != null && topic.getStatus().getConditions() != null
        && topic.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * The brokers of the named Strimzi Kafka: the replicas of its KafkaNodePools with the broker
   * role (KRaft), else the Kafka's spec.kafka.replicas (ZooKeeper-based Strimzi). Read at most
   * every crdRecheck per cluster; empty when Strimzi does not say.
   */
  private Optional<Integer> brokers(KubernetesClient client, Pipeline p) {
    if (p.spec().getKafka().getCluster() == null || p.spec().getKafka().getCluster().isBlank()) {
      // An external Kafka: the operator's AdminClient reports a replication factor it refuses.
      return Optional.empty();
    }
    Optional<String> version = kafkaApiVersion(client);
    if (version.isEmpty()) {
      return Optional.empty();
    }
    String cluster = p.spec().getKafka().getCluster();
    String key = p.kafkaNamespace() + "/" + cluster;
    Instant now = clock.instant();
    BrokerCount cached = brokerCounts.get(key);
    if (cached != null && Duration.between(cached.readAt(), now).compareTo(crdRecheck) < 0) {
      return cached.brokers();
    }
    Optional<Integer> brokers = Optional.empty();
    String apiVersion = "kafka.strimzi.io/" + version.get();
    try {
      var pools = client.genericKubernetesResources(apiVersion, "KafkaNodePool")
          .inNamespace(p.kafkaNamespace()).withLabel(BufferModel.STRIMZI_CLUSTER_LABEL, cluster)
          .list().getItems();
      int sum = 0;
      for (var pool : pools) {
        Object spec = pool.getAdditionalProperties().get("spec");
        if (spec instanceof Map<?, ?> poolSpec && poolSpec.get("roles") instanceof List<?> roles
            && roles.contains("broker") && poolSpec.get("replicas") instanceof Number n) {
          sum += n.intValue();
        }
      }
      if (!pools.isEmpty()) {
        brokers = Optional.of(sum);
      }
    } catch (RuntimeException e) {
      log.debug("cannot list KafkaNodePools of {}: {}", key, e.getMessage());
    }
    if (brokers.isEmpty()) {
      try {
        var kafka = client.genericKubernetesResources(apiVersion, "Kafka")
            .inNamespace(p.kafkaNamespace()).withName(cluster).get();
        if (kafka != null && kafka.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
            && spec.get("kafka") instanceof Map<?, ?> kafkaSpec
            && kafkaSpec.get("replicas") instanceof Number n) {
          brokers = Optional.of(n.intValue());
        }
      } catch (RuntimeException e) {
        log.debug("cannot read Kafka {}: {}", key, e.getMessage());
      }
    }
    brokerCounts.put(key, new BrokerCount(now, brokers));
    return brokers;
  }

  private record BrokerCount(Instant readAt, Optional<Integer> brokers) {}

  /** The Kafka CRD's served version, looked up at most every crdRecheck. */
  private Optional<String> kafkaApiVersion(KubernetesClient client) {
    Instant now = clock.instant();
    if (Duration.between(crdCheckedAt, now).compareTo(crdRecheck) < 0) {
      return kafkaVersion;
    }
    Optional<String> found = Optional.empty();
    try {
      CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
          .withName(KAFKA_CRD).get();
      if (crd != null) {
        found = crd.getSpec().getVersions().stream()
            .filter(v -> Boolean.TRUE.equals(v.getServed()))
            .map(v -> v.getName())
            .filter(v -> v.equals("v1") || v.equals("v1beta2"))
            .sorted() // "v1" before "v1beta2"
            .findFirst();
      }
    } catch (KubernetesClientException e) {
      log.debug("cannot read CRD {}: {}", KAFKA_CRD, e.getMessage());
    }
    kafkaVersion = found;
    crdCheckedAt = now;
    return found;
  }
}
