package io.logpipeline.operator.reliability;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.FaultyApiServer;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What the reliability tests share: operator options for tests, reads, and teardown. */
final class Harness {

  private Harness() {}

  /** Retries from 200 ms doubling to a 2 s cap, so that tests see several within seconds. */
  static LogPipelineOperator.Options fastRetries() {
    return LogPipelineOperator.Options.defaults()
        .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
        .withReferenceRecheck(Duration.ofSeconds(1))
        .withShutdownTimeout(Duration.ofSeconds(5));
  }

  static LogPipeline pipeline(KubernetesClient client, String namespace, String name) {
    return client.resources(LogPipeline.class).inNamespace(namespace).withName(name).get();
  }

  /** Phase Ready with condition Ready True, for the current generation. */
  static boolean ready(LogPipeline lp) {
    return lp != null && lp.getStatus() != null && lp.getStatus().getPhase() == Phase.Ready
        && lp.getStatus().getConditions() != null && lp.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        && lp.getStatus().getObservedGeneration() == lp.getMetadata().getGeneration().longValue();
  }

  /**
   * Waits until {@code agent} has sent no write for {@code quiet}; fails after {@code atMost}
   * (a write loop), naming the last writes.
   */
  static void awaitNoWrites(FaultyApiServer server, String agent, Duration quiet, Duration atMost)
      throws InterruptedException {
    long deadline = System.nanoTime() + atMost.toNanos();
    long last = server.writes(agent);
    long since = System.nanoTime();
    while (System.nanoTime() - since < quiet.toNanos()) {
      if (System.nanoTime() > deadline) {
        List<String> log = server.writeLog(agent);
        throw new AssertionError("the writes of " + agent + " did not stop within " + atMost + "; the last: "
            + log.subList(Math.max(0, log.size() - 5), log.size()));
      }
      Thread.sleep(50);
      long now = server.writes(agent);
      if (now != last) {
        last = now;
        since = System.nanoTime();
      }
    }
  }

  /** Closes in order whatever was started, null for what was not. */
  static void closeAll(AutoCloseable... closeables) {
    for (AutoCloseable c : closeables) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not close " + c, e);
      }
    }
  }

  /** Objects labelled as the operator's, by kind, across all namespaces. */
  static Map<String, Integer> managedObjects(KubernetesClient client) {
    String key = "app.kubernetes.io/managed-by";
    String value = "logpipeline-operator";
    Map<String, Integer> counts = new LinkedHashMap<>();
    Stream.of(
            client.configMaps().inAnyNamespace().withLabel(key, value).list().getItems(),
            client.serviceAccounts().inAnyNamespace().withLabel(key, value).list().getItems(),
            client.rbac().clusterRoles().withLabel(key, value).list().getItems(),
            client.rbac().clusterRoleBindings().withLabel(key, value).list().getItems(),
            client.apps().daemonSets().inAnyNamespace().withLabel(key, value).list().getItems(),
            client.apps().statefulSets().inAnyNamespace().withLabel(key, value).list().getItems(),
            client.policy().v1().podDisruptionBudget().inAnyNamespace().withLabel(key, value).list().getItems(),
            client.services().inAnyNamespace().withLabel(key, value).list().getItems(),
            client.resources(KafkaTopic.class).inAnyNamespace().withLabel(key, value).list().getItems())
        .flatMap(List::stream)
        .map(HasMetadata::getKind)
        .forEach(kind -> counts.merge(kind, 1, Integer::sum));
    return counts;
  }

  /** What {@link #managedObjects} holds for {@code pipelines} pipelines, exactly one of each child. */
  static Map<String, Integer> childrenOf(int pipelines) {
    return Map.of("ConfigMap", 2 * pipelines, "ServiceAccount", pipelines, "ClusterRole", pipelines,
        "ClusterRoleBinding", pipelines, "DaemonSet", pipelines, "StatefulSet", pipelines,
        "PodDisruptionBudget", pipelines, "Service", pipelines, "KafkaTopic", pipelines);
  }
}
