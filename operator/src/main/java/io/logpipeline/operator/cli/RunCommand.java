package io.logpipeline.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Runs the operator against the cluster of the current kubeconfig or in-cluster config. */
@Command(name = "run", description = "Run the operator against the current kubeconfig (or the"
    + " in-cluster service account).")
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Option(names = {"-n", "--namespace"}, split = ",",
      description = "Namespaces to watch (repeat or comma-separate). Default: all namespaces.")
  List<String> namespaces = List.of();

  @Option(names = "--template-recheck", defaultValue = "PT10M",
      description = "How often a Ready pipeline's index template is read back (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration templateRecheck;

  @Override
  public Integer call() throws InterruptedException {
    KubernetesClient client = new KubernetesClientBuilder().build();
    var options = LogPipelineOperator.Options.defaults()
        .withNamespaces(new LinkedHashSet<>(namespaces))
        .withTemplateRecheck(templateRecheck);
    log.info("starting against {} watching {}", client.getMasterUrl(),
        namespaces.isEmpty() ? "all namespaces" : namespaces);
    LogPipelineOperator operator = LogPipelineOperator.start(client, SearchClients.http(), options);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping");
      operator.close();
      client.close();
      stopped.countDown();
    }, "shutdown"));
    stopped.await();
    return 0;
  }
}
