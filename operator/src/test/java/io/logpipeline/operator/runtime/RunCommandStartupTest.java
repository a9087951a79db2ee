package io.logpipeline.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logpipeline.operator.FaultyApiServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static io.logpipeline.operator.runtime.OperatorProcess.PRODUCT_LOGGING;
import static io.logpipeline.operator.runtime.OperatorProcess.against;
import static io.logpipeline.operator.runtime.TestPipelines.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code run} as a new user meets it on a machine without a cluster: no kubeconfig at all, an
 * API server that does not answer, one without Strimzi. Each time the first line names the
 * target, each condition is one line when it starts and one when it ends, without a stack
 * trace, and the process ends: at once, after {@code --api-server-timeout}, or on SIGTERM.
 *
 * <p>The waits here are hang guards, longer than the operator's own timeouts where it has one;
 * where a test shows that the operator did not wait for its timeout, that timeout is set to ten
 * minutes, far beyond the guard.
 */
class RunCommandStartupTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration GUARD = Duration.ofSeconds(90);
  static final String NEVER = "PT10M";
  /** A line of a Java stack trace, in the plain format. */
  static final Pattern STACK_LINE = Pattern.compile("^(\\s+at |Caused by: |\\s+\\.\\.\\. \\d+ more)");

  OperatorProcess process;
  FaultyApiServer server;

  @AfterEach
  void stop() {
    if (process != null) {
      process.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static String[] run(String... more) {
    List<String> args = new ArrayList<>(List.of("run", "--bind-address", "127.0.0.1",
        "--health-port", "0", "--metrics-port", "0"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  /** A port on 127.0.0.1 where nothing listens. */
  static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The messages of the lines, in either format; fails on a line that is neither. */
  static List<String> messages(List<String> lines, String format) throws IOException {
    List<String> messages = new ArrayList<>();
    for (String line : lines) {
      if (format.equals("json")) {
        JsonNode node = JSON.readTree(line);
        assertThat(node.path("exception").path("stackTrace").isMissingNode()
            || node.path("exception").path("stackTrace").asText().isEmpty()).as("no stack trace: %s", line).isTrue();
        messages.add(node.path("level").asText() + " " + node.path("message").asText());
      } else {
        assertThat(line).as("not a stack trace line").doesNotContainPattern(STACK_LINE);
        messages.add(line.replaceFirst("^\\S+ (\\S+)\\s+\\[[^]]*\\] \\S+ - ", "$1 "));
      }
    }
    return messages;
  }

  @Test
  void withoutKubeconfigOutsideAPodItSaysSoAndExitsAtOnce(@TempDir Path home) throws Exception {
    process = OperatorProcess.start(List.of(PRODUCT_LOGGING), env -> {
      env.remove("KUBECONFIG");
      env.remove("KUBERNETES_MASTER");
      env.remove("KUBERNETES_SERVICE_HOST");
      env.put("HOME", home.toString());
    }, run("--api-server-timeout", NEVER));

    assertThat(process.exitStatus(GUARD)).isEqualTo(1);
    List<String> messages = messages(process.stderr, "plain");
    assertThat(messages).singleElement().asString().startsWith("ERROR no API server to connect to")
        .contains("no kubeconfig at " + home.resolve(".kube/config"), "KUBECONFIG",
            "not in a pod (KUBERNETES_SERVICE_HOST is not set)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "json"})
  void anApiServerThatDoesNotAnswerIsOneLineNotReadyAndAnExitAfterTheTimeout(String format) throws Exception {
    String url = "https://127.0.0.1:" + closedPort() + "/";
    List<String> jvm = new ArrayList<>(against(url));
    jvm.add(PRODUCT_LOGGING);
    process = OperatorProcess.start(jvm, env -> { }, run("--log-format", format, "--api-server-timeout", "PT8S"));

    int health = process.healthPort();
    await().atMost(GUARD).until(() -> !process.isAlive() || process.stderr.stream().anyMatch(l -> l.contains("unreachable")));
    if (process.isAlive()) {
      HttpResponse<String> ready;
      try {
        ready = get(health, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("starting: API server " + url + " unreachable: connection refused\n");
        assertThat(get(health, "/healthz").statusCode()).as("alive while it waits").isEqualTo(200);
      } catch (java.net.ConnectException exitedMeanwhile) {
        // the timeout passed on a slow machine before the probe was read: the exit is checked below
      }
    }
    assertThat(process.exitStatus(GUARD)).isEqualTo(1);

    List<String> messages = messages(process.stderr, format);
    assertThat(messages.get(0)).isEqualTo("INFO starting against API server " + url
        + " from the kubernetes.master system property (KUBERNETES_MASTER); watching all namespaces");
    assertThat(messages).filteredOn(m -> m.contains("unreachable")).containsExactly(
        "WARN API server " + url + " unreachable: connection refused; retrying",
        "ERROR API server " + url + " unreachable: connection refused for 8 s; giving up"
            + " (run's --api-server-timeout sets how long to wait)");
    assertThat(messages).as("all of it").hasSizeLessThanOrEqualTo(6);
  }

  @Test
  void sigtermWhileWaitingForTheApiServerEndsTheProcessAtOnce() throws Exception {
    List<String> jvm = new ArrayList<>(against("https://127.0.0.1:" + closedPort() + "/"));
    jvm.add(PRODUCT_LOGGING);
    process = OperatorProcess.start(jvm, env -> { }, run("--api-server-timeout", NEVER));
    process.awaitLine("unreachable: connection refused; retrying", GUARD);

    process.terminate();

    assertThat(process.exitStatus(GUARD)).isZero();
    assertThat(messages(process.stderr, "plain")).endsWith(
        "INFO stop requested", "INFO stopping before the operator started", "INFO stopped");
  }

  @Test
  void sigtermWhileTheInformersSyncEndsTheProcessAtOnce() throws Exception {
    server = FaultyApiServer.start();
    // The Deployment informer cannot list: JOSDK waits up to its cache sync timeout, 2 minutes.
    server.forbid("/apis/apps/v1/deployments");
    List<String> jvm = new ArrayList<>(against(server.client().getMasterUrl().toString()));
    jvm.add(PRODUCT_LOGGING);
    process = OperatorProcess.start(jvm, env -> { }, run("--api-server-timeout", NEVER));
    process.awaitLine("deployments.apps/v1 unavailable: HTTP 403 Forbidden", GUARD);

    process.terminate();

    assertThat(process.exitStatus(GUARD)).isZero();
    List<String> messages = messages(process.stderr, "plain");
    assertThat(messages).doesNotContain("INFO started");
    assertThat(messages).endsWith("INFO stop requested",
        "INFO stopping: no new reconciles; waiting for those in flight", "INFO stopped");
  }

  @Test
  void withoutStrimziOneLineSaysSoAndAnotherWhenItArrives() throws Exception {
    server = FaultyApiServer.start();
    server.uninstallApiGroup("kafka.strimzi.io");
    String url = server.client().getMasterUrl().toString();
    List<String> jvm = new ArrayList<>(against(url));
    jvm.add(PRODUCT_LOGGING);
    // The informers' first retry after 100 ms rather than 1 s, so that they retry often here.
    jvm.add("-Dkubernetes.watch.reconnectInterval=100");
    process = OperatorProcess.start(jvm, env -> { }, run("--api-server-timeout", NEVER));
    int health = process.healthPort();
    process.awaitLine("INFO  [operator-start] OperatorRuntime - started", GUARD);

    // The KafkaTopic informer keeps listing, backing off: 0.1, 0.2, 0.4 ... 3.2 s between attempts.
    long before = server.notInstalledAnswers();
    await().atMost(GUARD).until(() -> server.notInstalledAnswers() >= before + 5);
    List<String> messages = messages(process.stderr, "plain");
    assertThat(messages.get(0)).startsWith("INFO starting against API server " + url);
    List<String> warnings = messages.stream().filter(m -> m.startsWith("WARN")).toList();
    assertThat(warnings.get(0)).isEqualTo(
        "WARN Strimzi is not installed: the API server does not serve kafka.strimzi.io/v1 KafkaTopics."
            + " Pipelines are provisioned without their topic and report BufferReady=False until"
            + " Strimzi 0.49 or newer is installed (https://strimzi.io/quickstarts/)");
    // One line per Strimzi API the operator watches: KafkaTopics, and the KafkaUsers of pipelines
    // with authentication; their informers start in no particular order.
    assertThat(warnings.subList(1, warnings.size())).containsExactlyInAnyOrder(
        "WARN kafkatopics.kafka.strimzi.io/v1 unavailable: HTTP 404 Not Found: the API server does not"
            + " serve this API (is its CustomResourceDefinition installed?); retrying",
        "WARN kafkausers.kafka.strimzi.io/v1 unavailable: HTTP 404 Not Found: the API server does not"
            + " serve this API (is its CustomResourceDefinition installed?); retrying");
    // JOSDK says three lines for each of the two controllers (LogPipeline, ShipperClass).
    assertThat(messages).as("all of it").hasSizeLessThanOrEqualTo(16);
    HttpResponse<String> ready = get(health, "/readyz");
    assertThat(ready.body()).isEqualTo("ok (leader); not served by the API server: kafkatopics.kafka.strimzi.io/v1,"
        + " kafkausers.kafka.strimzi.io/v1\n");
    assertThat(ready.statusCode()).isEqualTo(200);

    server.installApiGroup("kafka.strimzi.io");
    process.awaitLine("kafkatopics.kafka.strimzi.io/v1 available again after", GUARD);
    process.awaitLine("kafkausers.kafka.strimzi.io/v1 available again after", GUARD);
    await().atMost(GUARD).untilAsserted(() -> assertThat(get(health, "/readyz").body()).isEqualTo("ok (leader)\n"));

    process.terminate();
    assertThat(process.exitStatus(GUARD)).isZero();
    assertThat(messages(process.stderr, "plain")).filteredOn(m -> m.contains("kafkatopics")).hasSize(2);
    assertThat(messages(process.stderr, "plain")).filteredOn(m -> m.contains("kafkausers")).hasSize(2);
  }

  @Test
  void anApiServerThatGoesAwayWhileRunningIsOneLineWhenItGoesAndOneWhenItIsBack() throws Exception {
    server = FaultyApiServer.start();
    try (TcpProxy proxy = TcpProxy.to(server.client().getMasterUrl().toURI())) {
      String url = "http://127.0.0.1:" + proxy.port() + "/";
      List<String> jvm = new ArrayList<>(against(url));
      jvm.add(PRODUCT_LOGGING);
      jvm.add("-Dkubernetes.watch.reconnectInterval=100");
      process = OperatorProcess.start(jvm, env -> { }, run("--log-format", "json", "--api-server-timeout", "PT10S"));
      int health = process.healthPort();
      process.awaitLine("\"started\"", GUARD);
      await().atMost(GUARD).until(() -> get(health, "/readyz").statusCode() == 200);

      proxy.cut();
      process.awaitLine("unreachable", GUARD);
      await().atMost(GUARD).untilAsserted(() -> {
        HttpResponse<String> ready = get(health, "/readyz");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).startsWith("API server " + url + " unreachable: ");
      });
      // Down for longer than --api-server-timeout, which is for the start only: it keeps running,
      // and its informers retry all along (the first after 100 ms, then backing off).
      int linesWhileDown = process.stderr.size();
      Thread.sleep(15_000);
      assertThat(process.isAlive()).isTrue();
      assertThat(process.stderr).as("nothing more while it stays down").hasSize(linesWhileDown);

      proxy.restore();
      process.awaitLine("reachable again", GUARD);
      await().atMost(GUARD).until(() -> get(health, "/readyz").statusCode() == 200);
      process.terminate();
      assertThat(process.exitStatus(GUARD)).isZero();
    }
    List<String> messages = messages(process.stderr, "json");
    assertThat(messages).filteredOn(m -> m.contains("API server") && m.contains("reachable"))
        .as("one line when it goes, one when it is back").hasSize(2)
        .satisfies(m -> assertThat(m.get(0)).matches("WARN API server .* unreachable: .*; retrying"))
        .satisfies(m -> assertThat(m.get(1)).matches("WARN API server .* reachable again after .*"));
    assertThat(messages).filteredOn(m -> m.startsWith("WARN") || m.startsWith("ERROR")).hasSize(2);
  }
}
