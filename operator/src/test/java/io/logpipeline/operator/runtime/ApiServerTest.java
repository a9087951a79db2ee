package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.logpipeline.operator.FaultyApiServer;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the API server's answers to a client's requests tell, against the fabric8 mock server. */
class ApiServerTest {

  final RecordingLogger log = new RecordingLogger();
  FaultyApiServer server;
  KubernetesClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** A client like run's, with the interceptor, and few retries so that failures come soon. */
  static KubernetesClient client(String url, ApiServer api) {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url).withTrustCerts(true)
        .withNamespace("default").withUserAgent("api-server-test").withRequestRetryBackoffLimit(1)
        .withRequestRetryBackoffInterval(10).build();
    return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(api::addTo).build();
  }

  @Test
  void pathsNameTheCollectionTheyRead() {
    assertThat(ApiServer.ApiResource.parse("/apis/kafka.strimzi.io/v1/kafkatopics")).hasValue(
        new ApiServer.Request(new ApiServer.ApiResource("kafka.strimzi.io", "v1", "kafkatopics", null), true));
    assertThat(ApiServer.ApiResource.parse("/api/v1/namespaces/logging/configmaps")).hasValue(
        new ApiServer.Request(new ApiServer.ApiResource("", "v1", "configmaps", "logging"), true));
    assertThat(ApiServer.ApiResource.parse("/api/v1/namespaces/logging/secrets/es/")).hasValue(
        new ApiServer.Request(new ApiServer.ApiResource("", "v1", "secrets", "logging"), false));
    assertThat(ApiServer.ApiResource.parse("/apis/rbac.authorization.k8s.io/v1/clusterroles/filebeat")).hasValue(
        new ApiServer.Request(new ApiServer.ApiResource("rbac.authorization.k8s.io", "v1", "clusterroles", null), false));
    assertThat(ApiServer.ApiResource.parse("/api/v1/namespaces")).hasValue(
        new ApiServer.Request(new ApiServer.ApiResource("", "v1", "namespaces", null), true));
    assertThat(ApiServer.ApiResource.parse("/apis/kafka.strimzi.io/v1")).as("discovery").isEmpty();
    assertThat(ApiServer.ApiResource.parse("/version")).isEmpty();
    assertThat(new ApiServer.ApiResource("", "v1", "configmaps", "logging"))
        .hasToString("configmaps/v1 in namespace logging");
  }

  @Test
  void anApiThatIsNotServedIsOneLineHoweverOftenItIsListedAndAnotherWhenItIsBack() {
    server = FaultyApiServer.start();
    server.uninstallApiGroup("kafka.strimzi.io");
    ApiServer api = new ApiServer(server.client().getMasterUrl().toString(), log);
    client = client(server.client().getMasterUrl().toString(), api);

    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> client.resources(KafkaTopic.class).inAnyNamespace().list())
          .isInstanceOf(KubernetesClientException.class);
    }
    assertThat(api.notServed(KafkaTopic.class)).hasValue("kafkatopics.kafka.strimzi.io/v1");
    assertThat(api.notServed(ConfigMap.class)).isEmpty();

    server.installApiGroup("kafka.strimzi.io");
    client.resources(KafkaTopic.class).inAnyNamespace().list();
    client.resources(KafkaTopic.class).inAnyNamespace().list();

    assertThat(api.notServed(KafkaTopic.class)).isEmpty();
    assertThat(log.lines).hasSize(2);
    assertThat(log.lines.get(0)).isEqualTo("WARN kafkatopics.kafka.strimzi.io/v1 unavailable: HTTP 404 Not Found:"
        + " the API server does not serve this API (is its CustomResourceDefinition installed?); retrying");
    assertThat(log.lines.get(1)).startsWith("WARN kafkatopics.kafka.strimzi.io/v1 available again after ");
    assertThat(api.reachability().trouble()).isEmpty();
  }

  @Test
  void aForbiddenReadIsOneLineButAMissingObjectIsNothing() {
    server = FaultyApiServer.start();
    ApiServer api = new ApiServer(server.client().getMasterUrl().toString(), log);
    client = client(server.client().getMasterUrl().toString(), api);
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("present").withNamespace("logging")
        .endMetadata().build()).create();

    assertThat(client.configMaps().inNamespace("logging").withName("absent").get()).isNull();
    // From the next write on, the mock server answers 403 to everything this client sends.
    server.crashAfterWrites("api-server-test", 0);
    assertThatThrownBy(() -> client.resource(new ConfigMapBuilder().withNewMetadata().withName("refused")
        .withNamespace("logging").endMetadata().build()).create()).isInstanceOf(KubernetesClientException.class);
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> client.configMaps().inNamespace("logging").withName("present").get())
          .isInstanceOf(KubernetesClientException.class);
    }
    server.recover();
    assertThat(client.configMaps().inNamespace("logging").withName("present").get()).isNotNull();

    assertThat(log.lines).hasSize(2);
    assertThat(log.lines.get(0)).isEqualTo("WARN configmaps/v1 in namespace logging unavailable: HTTP 403"
        + " Forbidden: the operator may not read these (check its ClusterRole and Roles; the chart creates"
        + " them with rbac.create); retrying");
    assertThat(log.lines.get(1)).startsWith("WARN configmaps/v1 in namespace logging available again after ");
  }

  @Test
  void throttlingIsOneLineHoweverMany429s() {
    server = FaultyApiServer.start();
    ApiServer api = new ApiServer(server.client().getMasterUrl().toString(), log);
    client = client(server.client().getMasterUrl().toString(), api);
    server.injectFaults("api-server-test"::equals, 1.0, List.of(FaultyApiServer.Fault.TOO_MANY_REQUESTS), 1,
        Duration.ofSeconds(1));

    for (int i = 0; i < 3; i++) {
      int n = i;
      assertThatThrownBy(() -> client.resource(new ConfigMapBuilder().withNewMetadata().withName("cm-" + n)
          .withNamespace("logging").endMetadata().build()).create()).isInstanceOf(KubernetesClientException.class);
    }

    assertThat(log.lines).containsExactly("WARN API server " + api.url() + " throttles requests: HTTP 429"
        + " Too Many Requests (the client waits as long as Retry-After says); retrying");
  }

  @Test
  void anApiServerThatDoesNotAnswerIsOneLineAndAnExceptionAfterTheTimeout() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = socket.getLocalPort();
    }
    String url = "https://127.0.0.1:" + port + "/";
    ApiServer api = new ApiServer(url, log);
    client = client(url, api);

    assertThatThrownBy(() -> api.awaitReachable(client, Duration.ofSeconds(3), () -> false))
        .isInstanceOf(ApiServer.Unreachable.class)
        .hasMessage("API server " + url + " unreachable: connection refused for 3 s; giving up"
            + " (run's --api-server-timeout sets how long to wait)");
    assertThat(api.awaitReachable(client, Duration.ofMinutes(10), () -> true)).as("asked to stop").isEmpty();

    assertThat(log.lines).containsExactly("WARN API server " + url + " unreachable: connection refused; retrying");
    assertThat(api.reachability().describe()).hasValue("API server " + url + " unreachable: connection refused");
  }

  @Test
  void anApiServerThatAnswersGivesItsVersion() throws Exception {
    server = FaultyApiServer.start();
    ApiServer api = new ApiServer(server.client().getMasterUrl().toString(), log);
    client = client(server.client().getMasterUrl().toString(), api);
    assertThat(api.awaitReachable(client, Duration.ofSeconds(30), () -> false)).isPresent();
    assertThat(log.lines).isEmpty();
  }
}
