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

import java.time.Duration;
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
