package io.logpipeline.operator.runtime;

import io.logpipeline.operator.TestLogPipelines;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * LogPipelines that reach a phase without Kafka, Strimzi or a search server (paused: nothing is
 * provisioned; invalid: nothing is written), and a small HTTP GET for the endpoints.
 */
final class TestPipelines {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private TestPipelines() {
  }

  static LogPipeline pipeline(String namespace, String name) {
    // Nothing listens there; these pipelines never get as far as the index template.
    LogPipeline lp = TestLogPipelines.minimal(name, namespace, "http://127.0.0.1:9");
    lp.getSpec().getSources().setExcludeNamespaces(List.of("kube-system"));
    return lp;
  }

  /** Reconciled to phase Paused. */
  static LogPipeline paused(String namespace, String name) {
    LogPipeline lp = pipeline(namespace, name);
    lp.getSpec().setPaused(true);
    return lp;
  }

  /** Reconciled to phase Failed, with an info line "invalid spec" from the reconciler. */
  static LogPipeline invalid(String namespace, String name) {
    LogPipeline lp = pipeline(namespace, name);
    lp.getSpec().getKafka().getTopic().setRetention("7 days");
    return lp;
  }

  static void awaitPhase(KubernetesClient client, String namespace, String name, Phase phase) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      LogPipeline lp = client.resources(LogPipeline.class).inNamespace(namespace).withName(name).get();
      assertThat(lp.getStatus()).as(namespace + "/" + name + " status").isNotNull();
      assertThat(lp.getStatus().getPhase()).isEqualTo(phase);
    });
  }

  static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET());
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of one sample of a Prometheus text exposition, or null when it is not there. */
  static Double sample(String metrics, String nameAndLabels) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(nameAndLabels + " ")) {
        return Double.parseDouble(line.substring(nameAndLabels.length() + 1).trim().split(" ")[0]);
      }
    }
    return null;
  }

  /** The sum of every sample of a metric, whatever its labels; 0 when it has none. */
  static double sum(String metrics, String name) {
    double sum = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        String value = line.startsWith(name + "{") ? line.substring(line.lastIndexOf('}') + 1)
            : line.substring(name.length());
        sum += Double.parseDouble(value.trim().split(" ")[0]);
      }
    }
    return sum;
  }
}
