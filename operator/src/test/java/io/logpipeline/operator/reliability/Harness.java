package io.logpipeline.operator.reliability;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.reconciler.LogPipelineOperator;

import java.time.Duration;

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
}
