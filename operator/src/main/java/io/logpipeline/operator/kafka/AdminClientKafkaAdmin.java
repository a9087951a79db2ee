package io.logpipeline.operator.kafka;

import io.logpipeline.operator.model.KafkaSecurity;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Set;
import java.util.TreeSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** The {@link KafkaAdmin} on Kafka's own {@link Admin} client: one per Kafka cluster and credentials. */
public final class AdminClientKafkaAdmin implements KafkaAdmin {

  /** How long one call may take, retries included, before the cluster counts as unreachable. */
  static final Duration API_TIMEOUT = Duration.ofSeconds(15);

  private final KafkaConnection connection;
  private final Admin admin;

  public AdminClientKafkaAdmin(KafkaConnection connection) {
    this(connection, API_TIMEOUT);
  }

  public AdminClientKafkaAdmin(KafkaConnection connection, Duration apiTimeout) {
    this.connection = connection;
    this.admin = Admin.create(properties(connection, apiTimeout));
  }

  /** The client properties of a connection: also what the tests give Kafka's producer and consumer. */
  public static Properties properties(KafkaConnection c, Duration apiTimeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServers());
    props.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, c.securityProtocol());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "logpipeline-operator");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) apiTimeout.toMillis());
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(apiTimeout.toMillis(), 10_000));
    props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10_000);
    if (c.username() != null) {
      props.put(SaslConfigs.SASL_MECHANISM, KafkaSecurity.SCRAM_SHA_512);
      props.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaSecurity.jaasConfig(c.username(), c.password()));
    }
    if (c.caPem() != null) {
      props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
      props.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, c.caPem());
    }
    if (c.certificatePem() != null) {
      props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
      props.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, c.certificatePem());
      props.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, c.privateKeyPem());
    }
    return props;
  }

  @Override
  public Optional<TopicDescription> describeTopic(String name) throws KafkaAdminException {
    org.apache.kafka.clients.admin.TopicDescription topic;
    try {
      topic = get(admin.describeTopics(List.of(name)).allTopicNames(), "describe topic " + name).get(name);
    } catch (KafkaAdminException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw e;
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    var config = get(admin.describeConfigs(List.of(resource)).all(), "describe the configs of topic " + name)
        .get(resource);
    Map<String, String> set = new LinkedHashMap<>();
    for (ConfigEntry entry : config.entries()) {
      if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
        set.put(entry.name(), entry.value());
      }
    }
    int replicas = topic.partitions().isEmpty() ? 0 : topic.partitions().get(0).replicas().size();
    return Optional.of(new TopicDescription(name, topic.partitions().size(), replicas, set));
  }

  @Override
  public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs)
      throws KafkaAdminException {
    NewTopic topic = new NewTopic(name, partitions, (short) replicationFactor).configs(configs);
    get(admin.createTopics(List.of(topic)).all(), "create topic " + name);
  }

  @Override
  public void setTopicConfigs(String name, Map<String, String> configs) throws KafkaAdminException {
    List<AlterConfigOp> ops = new ArrayList<>();
    configs.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    get(admin.incrementalAlterConfigs(Map.of(resource, ops)).all(), "change the configs of topic " + name);
  }

  @Override
  public void createPartitions(String name, int partitions) throws KafkaAdminException {
    get(admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all(),
        "add partitions to topic " + name);
  }

  @Override
  public boolean deleteTopic(String name) throws KafkaAdminException {
    try {
      get(admin.deleteTopics(List.of(name)).all(), "delete topic " + name);
      return true;
    } catch (KafkaAdminException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Map<ConsumerLag.Query, ConsumerLag> consumerLag(Collection<ConsumerLag.Query> queries)
      throws KafkaAdminException {
    Map<ConsumerLag.Query, ConsumerLag> result = new HashMap<>();
    if (queries.isEmpty()) {
      return result;
    }
    Set<String> topics = new TreeSet<>();
    queries.forEach(q -> topics.add(q.topic()));
    Map<String, List<TopicPartition>> partitions = new HashMap<>();
    Map<String, String> missing = new HashMap<>();
    var described = admin.describeTopics(topics).topicNameValues();
    for (String topic : topics) {
      try {
        var d = get(described.get(topic), "describe topic " + topic);
        partitions.put(topic, d.partitions().stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList());
      } catch (KafkaAdminException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
        missing.put(topic, "topic " + topic + " does not exist (yet)");
      }
    }
    Map<String, ListConsumerGroupOffsetsSpec> groups = new HashMap<>();
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> atRisk = new HashMap<>();
    for (ConsumerLag.Query q : queries) {
      List<TopicPartition> tps = partitions.getOrDefault(q.topic(), List.of());
      if (!tps.isEmpty()) {
        groups.computeIfAbsent(q.group(), g -> new ListConsumerGroupOffsetsSpec().topicPartitions(new ArrayList<>()))
            .topicPartitions().addAll(tps);
      }
      for (TopicPartition tp : tps) {
        latest.put(tp, OffsetSpec.latest());
        earliest.put(tp, OffsetSpec.earliest());
        atRisk.put(tp, OffsetSpec.forTimestamp(q.atRiskBeforeMs()));
      }
    }
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = groups.isEmpty() ? Map.of()
        : get(admin.listConsumerGroupOffsets(groups).all(), "read the committed offsets of the consumer groups");
    var ends = offsets(latest, "latest");
    var starts = offsets(earliest, "earliest");
    var risks = offsets(atRisk, "by time");
    for (ConsumerLag.Query q : queries) {
      if (missing.containsKey(q.topic())) {
        result.put(q, new ConsumerLag(0, 0, missing.get(q.topic())));
        continue;
      }
      Map<TopicPartition, OffsetAndMetadata> group = committed.getOrDefault(q.group(), Map.of());
      long lag = 0;
      long risk = 0;
      for (TopicPartition tp : partitions.get(q.topic())) {
        long end = ends.get(tp);
        long start = starts.get(tp);
        OffsetAndMetadata c = group == null ? null : group.get(tp);
        long position = c == null ? start : c.offset();
        long consumed = Math.max(position, start);
        lag += Math.max(0, end - consumed);
        // Deleted by retention before the group read them: lost, and counted as at risk.
        risk += Math.max(0, start - position);
        // The first offset at or after the threshold time; -1 when every event is older.
        long riskEnd = risks.get(tp) < 0 ? end : risks.get(tp);
        risk += Math.max(0, riskEnd - consumed);
      }
      result.put(q, new ConsumerLag(lag, risk, null));
    }
    return result;
  }

  private Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetSpec> specs, String kind)
      throws KafkaAdminException {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    if (specs.isEmpty()) {
      return offsets;
    }
    get(admin.listOffsets(specs).all(), "list the " + kind + " offsets of the topics")
        .forEach((tp, info) -> offsets.put(tp, info.offset()));
    return offsets;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }

  private <T> T get(Future<T> future, String what) throws KafkaAdminException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaAdminException(KafkaAdminException.Reason.KafkaError,
          "interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      throw classify(e.getCause(), what);
    }
  }

  /** Kafka's typed errors as a reason and a message that says what to fix. */
  KafkaAdminException classify(Throwable cause, String what) {
    String where = connection.bootstrapServers() + " (" + connection.securityProtocol() + ")";
    String message;
    KafkaAdminException.Reason reason;
    if (cause instanceof TimeoutException) {
      reason = KafkaAdminException.Reason.Unreachable;
      message = "cannot " + what + ": no broker at " + where + " answered within "
          + API_TIMEOUT.toSeconds() + " s; check spec.kafka.bootstrapServers, that the port is the"
          + " listener's (TLS or plaintext, as spec.kafka.tls says) and network policies";
    } else if (cause instanceof SaslAuthenticationException) {
      reason = KafkaAdminException.Reason.SaslAuthenticationFailed;
      message = "cannot " + what + ": Kafka at " + where + " refused the SCRAM-SHA-512 login"
          + (connection.username() != null ? " of user " + connection.username() : "")
          + "; check the username and password in the Secret of spec.kafka.adminSecret";
    } else if (cause instanceof SslAuthenticationException) {
      reason = KafkaAdminException.Reason.SslAuthenticationFailed;
      message = "cannot " + what + ": the TLS handshake with " + where + " failed ("
          + firstLine(cause) + "); check spec.kafka.tls.caSecret (the CA that signed the brokers'"
          + " certificates) and, with tls authentication, the client certificate";
    } else if (cause instanceof AuthorizationException) {
      reason = KafkaAdminException.Reason.TopicAuthorizationFailed;
      message = "cannot " + what + ": not authorized by Kafka at " + where + " (" + firstLine(cause)
          + "); grant the operator's user the ACLs in docs/install.md (Create, Describe,"
          + " DescribeConfigs, AlterConfigs, Alter and Delete on the topic)";
    } else if (cause instanceof InvalidReplicationFactorException) {
      reason = KafkaAdminException.Reason.InvalidReplicationFactor;
      message = "cannot " + what + ": " + firstLine(cause) + "; lower spec.kafka.topic.replicas"
          + " to at most the number of brokers";
    } else if (cause instanceof InvalidConfigurationException || cause instanceof PolicyViolationException) {
      reason = KafkaAdminException.Reason.InvalidConfiguration;
      message = "cannot " + what + ": Kafka refused the topic config: " + firstLine(cause)
          + "; fix spec.kafka.topic.config";
    } else {
      reason = KafkaAdminException.Reason.KafkaError;
      message = "cannot " + what + " at " + where + ": " + firstLine(cause);
    }
    return new KafkaAdminException(reason, message, cause);
  }

  private static String firstLine(Throwable t) {
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
