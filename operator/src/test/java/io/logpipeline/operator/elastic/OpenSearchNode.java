package io.logpipeline.operator.elastic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.opensearch.common.network.NetworkModule;
import org.opensearch.common.settings.Settings;
import org.opensearch.common.unit.TimeValue;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single-node OpenSearch cluster inside the test JVM, serving HTTP on 127.0.0.1. It can be
 * stopped and started again on the same data and the same port, as a crashed and restarted server
 * would be; {@link #close()} stops it and deletes its files.
 */
public final class OpenSearchNode implements AutoCloseable {

  static {
    // OpenSearch tells Netty how many processors to use, and that fails once Netty has picked a
    // number itself: on a second start in this JVM, or after the fabric8 mock server (also Netty).
    System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
    // Expected warnings, quieted so that others stand out: that dangling indices are not imported
    // (the default), at every start; and, on a restart in this JVM, that the node id for log
    // layouts cannot be set again (it is a JVM-wide SetOnce), with a stack trace.
    Configurator.setLevel("org.opensearch.gateway.DanglingIndicesState", Level.ERROR);
    Configurator.setLevel("org.opensearch.cluster.service.ClusterApplierService", Level.ERROR);
  }

  private final Path home;
  private final int httpPort;
  private final int transportPort;
  private Node node;

  private OpenSearchNode(Path home, int httpPort, int transportPort) {
    this.home = home;
    this.httpPort = httpPort;
    this.transportPort = transportPort;
  }

  /** Starts a fresh node in a new temporary directory, on free ports. */
  public static OpenSearchNode startNew() {
    OpenSearchNode node;
    try {
      node = new OpenSearchNode(
          Files.createTempDirectory("opensearch-node"), freePort(), freePort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    node.start();
    return node;
  }

  /** The base URL of the HTTP API; the same across restarts. */
  public URI httpUri() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  /** Starts the node (again) and returns once it accepts writes to the cluster state. */
  public synchronized void start() {
    if (node != null) {
      return;
    }
    Settings settings = Settings.builder()
        .put("cluster.name", "logpipeline-test")
        .put("node.name", "node-0")
        .put("path.home", home.toString())
        .put("path.data", home.resolve("data").toString())
        .put("network.host", "127.0.0.1")
        .put("http.port", httpPort)
        .put("transport.port", transportPort)
        .put("discovery.type", "single-node")
        .put(NetworkModule.HTTP_TYPE_KEY, Netty4Plugin.NETTY_HTTP_TRANSPORT_NAME)
        .put(NetworkModule.TRANSPORT_TYPE_KEY, Netty4Plugin.NETTY_TRANSPORT_NAME)
        // A nearly full disk on the build machine must not make indices read-only mid-test.
        .put("cluster.routing.allocation.disk.threshold_enabled", false)
        .build();
    Node started = new PluginNode(settings);
    try {
      started.start();
      // The gateway may not have recovered the cluster state yet: until then writes are blocked
      // and health is red.
      boolean timedOut = started.client().admin().cluster().prepareHealth()
          .setWaitForYellowStatus()
          .setTimeout(TimeValue.timeValueSeconds(30))
          .get()
          .isTimedOut();
      if (timedOut) {
        throw new IllegalStateException("cluster not ready after 30 s");
      }
    } catch (Exception e) {
      shutDown(started);
      throw new IllegalStateException("OpenSearch node did not start", e);
    }
    node = started;
  }

  /** Stops the node and waits until its ports and data directory are released. */
  public synchronized void stop() {
    if (node == null) {
      return;
    }
    Node stopping = node;
    node = null;
    shutDown(stopping);
  }

  @Override
  public void close() {
    stop();
    try (Stream<Path> files = Files.walk(home)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void shutDown(Node node) {
    try {
      node.close();
      node.awaitClose(30, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Node's public constructor loads plugins only from a plugins directory; ours are classes. */
  private static final class PluginNode extends Node {
    PluginNode(Settings settings) {
      super(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "node-0"),
          List.of(Netty4Plugin.class), true);
    }
  }
}
