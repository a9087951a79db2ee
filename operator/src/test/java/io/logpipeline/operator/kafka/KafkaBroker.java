package io.logpipeline.operator.kafka;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One Kafka 4.1 broker (KRaft, broker and controller in one node) inside the test JVM, started once
 * and shared by every test class, stopped when the JVM exits. Every listener is on 127.0.0.1:
 *
 * <ul>
 *   <li>{@link #plaintext()}: PLAINTEXT, whose anonymous principal is a super user: the tests'
 *       administrator, and a Kafka without security;
 *   <li>{@link #scram()}: SASL_SSL with SCRAM-SHA-512;
 *   <li>{@link #mutualTls()}: SSL with client certificates required (principal {@code CN=<user>});
 *   <li>{@link #tls()}: SSL without client authentication.
 * </ul>
 *
 * The StandardAuthorizer runs with {@code allow.everyone.if.no.acl.found=false}: an authenticated
 * user may do only what an ACL allows. The broker's certificate and the CA that signed it are made
 * in the test ({@link #authority()}).
 *
 * <p>Not KafkaClusterTestKit: it binds its broker and controller ports on the wildcard address
 * before the servers start (PreboundSocketFactoryManager), and test servers here listen on
 * 127.0.0.1 only. This is the same KafkaRaftServer the test kit and kafka-server-start run.
 */
public final class KafkaBroker {

  public static final String SCRAM = "SCRAM";
  public static final String MTLS = "MTLS";
  public static final String TLS = "TLS";
  public static final String PLAINTEXT = "PLAINTEXT";
  private static final String CONTROLLER = "CONTROLLER";

  private static KafkaBroker shared;

  private final Path dir;
  private final TestCertificates authority;
  private final Map<String, Integer> ports;
  private final KafkaRaftServer server;

  private KafkaBroker(Path dir, TestCertificates authority, Map<String, Integer> ports, KafkaRaftServer server) {
    this.dir = dir;
    this.authority = authority;
    this.ports = ports;
    this.server = server;
  }

  /** The broker of this JVM, started at the first call (a few seconds). */
  public static synchronized KafkaBroker shared() {
    if (shared == null) {
      shared = start();
      KafkaBroker broker = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kafka-broker-stop"));
    }
    return shared;
  }

  /** The CA that signed the broker's certificate, and signs the tests' client certificates. */
  public TestCertificates authority() {
    return authority;
  }

  public String plaintext() {
    return address(PLAINTEXT);
  }

  public String scram() {
    return address(SCRAM);
  }

  public String mutualTls() {
    return address(MTLS);
  }

  public String tls() {
    return address(TLS);
  }

  private String address(String listener) {
    return "127.0.0.1:" + ports.get(listener);
  }

  /** An admin client on the plaintext listener, allowed everything. The caller closes it. */
  public Admin superAdmin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, plaintext(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
  }

  private static KafkaBroker start() {
    try {
      Path dir = Files.createTempDirectory("kafka-broker");
      Path logs = dir.resolve("data");
      TestCertificates authority = TestCertificates.authority("logpipeline-test-ca");
      TestCertificates.Pem serverCert = authority.server();
      Map<String, Integer> ports = Map.of(PLAINTEXT, freePort(), CONTROLLER, freePort(), SCRAM, freePort(),
          MTLS, freePort(), TLS, freePort());
      Properties props = new Properties();
      props.put("process.roles", "broker,controller");
      props.put("node.id", "1");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + ports.get(CONTROLLER));
      props.put("controller.listener.names", CONTROLLER);
      props.put("inter.broker.listener.name", PLAINTEXT);
      StringBuilder listeners = new StringBuilder();
      StringBuilder advertised = new StringBuilder();
      for (String l : List.of(PLAINTEXT, CONTROLLER, SCRAM, MTLS, TLS)) {
        listeners.append(listeners.isEmpty() ? "" : ",").append(l).append("://127.0.0.1:").append(ports.get(l));
        if (!l.equals(CONTROLLER)) {
          advertised.append(advertised.isEmpty() ? "" : ",").append(l).append("://127.0.0.1:").append(ports.get(l));
        }
      }
      props.put("listeners", listeners.toString());
      props.put("advertised.listeners", advertised.toString());
      props.put("listener.security.protocol.map",
          "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SCRAM:SASL_SSL,MTLS:SSL,TLS:SSL");
      props.put("log.dirs", logs.toString());
      props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
      props.put("allow.everyone.if.no.acl.found", "false");
      props.put("super.users", "User:ANONYMOUS");
      props.put("listener.name.scram.sasl.enabled.mechanisms", "SCRAM-SHA-512");
      props.put("listener.name.scram.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      props.put("ssl.keystore.type", "PEM");
      props.put("ssl.keystore.certificate.chain", serverCert.certificate());
      props.put("ssl.keystore.key", serverCert.privateKey());
      props.put("ssl.truststore.type", "PEM");
      props.put("ssl.truststore.certificates", authority.caPem());
      props.put("listener.name.mtls.ssl.client.auth", "required");
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "1");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("num.partitions", "1");
      // A shorter heartbeat lets the controlled shutdown finish in a fraction of a second.
      props.put("broker.heartbeat.interval.ms", "100");
      props.put("log.cleaner.dedupe.buffer.size", "2097152");
      KafkaConfig config = KafkaConfig.fromProps(props, false);

      Formatter formatter = new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(1)
          .setClusterId(Uuid.randomUuid().toString())
          .setDirectories(List.of(logs.toString()))
          .setMetadataLogDirectory(logs.toString())
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .setControllerListenerName(CONTROLLER);
      formatter.run();

      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      KafkaBroker broker = new KafkaBroker(dir, authority, ports, server);
      broker.awaitReady();
      return broker;
    } catch (Exception e) {
      throw new IllegalStateException("Kafka broker did not start", e);
    }
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Admin admin = superAdmin()) {
        if (!admin.describeCluster().nodes().get().isEmpty()) {
          return;
        }
      } catch (Exception e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the broker did not answer within 60 s", e);
        }
      }
      Thread.sleep(100);
    }
  }

  private void stop() {
    server.shutdown();
    server.awaitShutdown();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
