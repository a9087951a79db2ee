package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.logpipeline.operator.elastic.SearchClients;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The operator process: the JOSDK {@link Operator} with the LogPipeline controller, configured
 * the same way for a real cluster and for tests.
 *
 * <p>Dependents are written with create/update and status with JSON patch rather than
 * server-side apply, so that the code tested against the fabric8 mock server (which has no
 * server-side apply) is the code that runs in clusters; see docs/architecture.md.
 */
public final class LogPipelineOperator implements AutoCloseable {

  /**
   * @param namespaces namespaces to watch for LogPipelines; empty means all
   * @param templateRecheck how often a Ready pipeline's index template is read back
   * @param retryInitial first retry delay after a failed reconcile; it doubles up to retryMax
   * @param retryMax longest delay between retries
   * @param referenceRecheck how soon a pipeline waiting for a missing Secret or Kafka looks again
   */
  public record Options(Set<String> namespaces, Duration templateRecheck,
      Duration retryInitial, Duration retryMax, Duration referenceRecheck) {

    public static Options defaults() {
      return new Options(Set.of(), Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofMinutes(5),
          Duration.ofSeconds(30));
    }

    public Options withNamespaces(Set<String> namespaces) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck);
    }

    public Options withRetry(Duration initial, Duration max) {
      return new Options(namespaces, templateRecheck, initial, max, referenceRecheck);
    }

    public Options withTemplateRecheck(Duration recheck) {
      return new Options(namespaces, recheck, retryInitial, retryMax, referenceRecheck);
    }

    public Options withReferenceRecheck(Duration recheck) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, recheck);
    }
  }

  private final Operator operator;
  private final SearchClients searchClients;

  private LogPipelineOperator(Operator operator, SearchClients searchClients) {
    this.operator = operator;
    this.searchClients = searchClients;
  }

  /** Registers the controller and starts it; returns once the informers have synced. */
  public static LogPipelineOperator start(
      KubernetesClient client, SearchClients searchClients, Options options) {
    Operator operator = new Operator(o -> o
        .withKubernetesClient(client)
        .withCloseClientOnStop(false)
        .withSSABasedCreateUpdateMatchForDependentResources(false)
        .withUseSSAToPatchPrimaryResource(false));
    var reconciler = new LogPipelineReconciler(searchClients, Clock.systemUTC(),
        options.templateRecheck(), options.referenceRecheck());
    operator.register(reconciler, c -> {
      if (options.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(options.namespaces());
      }
      c.withRetry(new GenericRetry()
          .withoutMaxAttempts()
          .setInitialInterval(options.retryInitial().toMillis())
          .setIntervalMultiplier(2)
          .setMaxInterval(options.retryMax().toMillis()));
    });
    operator.start();
    return new LogPipelineOperator(operator, searchClients);
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.stop();
    searchClients.close();
  }
}
