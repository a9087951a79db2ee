package io.logpipeline.operator.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import io.logpipeline.operator.runtime.ApiServer;
import io.logpipeline.operator.runtime.KubernetesTarget;
import io.logpipeline.operator.runtime.LogFormat;
import io.logpipeline.operator.runtime.OperatorRuntime;
import io.logpipeline.operator.runtime.PodEnvironment;
import io.logpipeline.operator.runtime.RetryAfter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the operator against the cluster of the current kubeconfig or in-cluster config, with
 * health probes, Prometheus metrics and optional leader election, until SIGTERM or SIGINT; then
 * stops gracefully and exits 0. Exits 1 at once when there is neither a kubeconfig nor a pod's
 * service account, and after {@code --api-server-timeout} when the API server does not answer.
 */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = VersionCommand.class,
    description = "Run the operator against the current kubeconfig (or the in-cluster service"
        + " account) until SIGTERM: /healthz and /readyz on the health port, Prometheus /metrics"
        + " on the metrics port.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-n", "--namespace"}, split = ",",
      description = "Namespaces to watch (repeat or comma-separate). Default: all namespaces.")
  List<String> namespaces = List.of();

  @Option(names = "--template-recheck", defaultValue = "PT10M",
      description = "How often a Ready pipeline's index template is read back (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration templateRecheck;

  @Option(names = "--health-port", paramLabel = "PORT", defaultValue = "8081",
      description = "Port of /healthz and /readyz (default ${DEFAULT-VALUE}; 0: any free port).")
  int healthPort;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8080",
      description = "Port of the Prometheus /metrics (default ${DEFAULT-VALUE}; 0: any free port;"
          + " the health port's value: one server for both).")
  int metricsPort;

  @Option(names = "--bind-address", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
      description = "Address the health and metrics endpoints listen on (default ${DEFAULT-VALUE}).")
  String bindAddress;

  @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "plain",
      completionCandidates = LogFormats.class,
      description = "Log lines as plain text or one JSON object per line: ${COMPLETION-CANDIDATES}"
          + " (default ${DEFAULT-VALUE}).")
  String logFormat;

  @Option(names = "--leader-election", defaultValue = "false",
      description = "Reconcile only while holding the Lease " + LogPipelineOperator.LeaderElection.DEFAULT_LEASE_NAME
          + " (for more than one replica). Default: off.")
  boolean leaderElection;

  @Option(names = "--leader-election-namespace", paramLabel = "NAMESPACE",
      description = "Namespace of the leader election Lease. Default: the pod's (env POD_NAMESPACE,"
          + " else the service account's namespace), else default.")
  String leaderElectionNamespace;

  @Option(names = "--operator-namespace", paramLabel = "NAMESPACE",
      description = "Where the shared Filebeats of ShipperClasses run. Default: the pod's namespace"
          + " (env POD_NAMESPACE, else the service account's namespace), else default.")
  String operatorNamespace;

  @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "PT10S",
      description = "On SIGTERM, how long reconciles in flight may take to finish (ISO-8601, default"
          + " ${DEFAULT-VALUE}); keep it below the pod's terminationGracePeriodSeconds.")
  Duration shutdownTimeout;

  @Option(names = "--api-server-timeout", paramLabel = "DURATION", defaultValue = "PT1M",
      description = "At start, how long to wait for the API server to answer before exiting with"
          + " status 1 (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration apiServerTimeout;

  @Option(names = "--flow-poll-interval", paramLabel = "DURATION", defaultValue = "PT1M",
      description = "How often every pipeline's consumer lag, newest indexed event, dead letters and"
          + " canary are read, in one batch per Kafka and per search cluster (ISO-8601, default ${DEFAULT-VALUE}).")
  Duration flowPollInterval;

  @Option(names = "--flow-status-interval", paramLabel = "DURATION", defaultValue = "PT5M",
      description = "How often status.flow is written while Flowing does not flip (ISO-8601, default"
          + " ${DEFAULT-VALUE}); a flip is written at once, live values are in the metrics.")
  Duration flowStatusInterval;

  @Override
  public Integer call() throws InterruptedException, IOException {
    LogFormat format;
    try {
      format = LogFormat.parse(logFormat);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--log-format: " + e.getMessage());
    }
    // Before anything else logs: the loggers that exist already follow the new configuration.
    format.apply();

    var options = LogPipelineOperator.Options.defaults()
        .withNamespaces(new LinkedHashSet<>(namespaces))
        .withTemplateRecheck(templateRecheck)
        .withShutdownTimeout(shutdownTimeout)
        .withFlow(new LogPipelineOperator.Flow(flowPollInterval, flowStatusInterval, true))
        .withOperatorNamespace(operatorNamespace != null && !operatorNamespace.isBlank()
            ? operatorNamespace : PodEnvironment.namespace());
    if (leaderElection) {
      String leaseNamespace = leaderElectionNamespace != null && !leaderElectionNamespace.isBlank()
          ? leaderElectionNamespace : PodEnvironment.namespace();
      options = options.withLeaderElection(
          LogPipelineOperator.LeaderElection.of(leaseNamespace, PodEnvironment.identity()));
    }

    CountDownLatch stopRequested = new CountDownLatch(1);
    boolean signalsHandled = StopSignals.handle(stopRequested::countDown);
    KubernetesTarget target;
    try {
      target = KubernetesTarget.resolve();
    } catch (KubernetesTarget.NotFound e) {
      log.error("{}", e.getMessage());
      return 1;
    }
    log.info("starting against API server {} from {}; watching {}", target.masterUrl(), target.source(),
        namespaces.isEmpty() ? "all namespaces" : namespaces);
    ApiServer apiServer = new ApiServer(target.masterUrl());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(target.config())
        .withHttpClientBuilderConsumer(http -> {
          RetryAfter.addTo(http);
          apiServer.addTo(http);
        })
        .build();
    OperatorRuntime runtime;
    try {
      runtime = OperatorRuntime.open(client, SearchClients.http(), options,
          new OperatorRuntime.Endpoints(bindAddress, healthPort, metricsPort), apiServer);
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
    Stop stop = new Stop(runtime, client);
    // Any other way out (System.exit after a lost leadership, or SIGTERM when the JVM kept its
    // own handler) still stops the operator gracefully before the JVM halts.
    Runtime.getRuntime().addShutdownHook(new Thread(stop::run, "shutdown"));
    if (!signalsHandled) {
      log.info("SIGTERM is left to the JVM: the operator stops gracefully, but exits with 143, not 0");
    }
    // Start-up runs on a thread of its own, so that a stop request is honoured at once, also
    // while it waits for the API server or for the informers to sync.
    AtomicReference<Throwable> startFailure = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        runtime.startOperator(apiServerTimeout);
      } catch (Throwable t) {
        startFailure.set(t);
        stopRequested.countDown();
      }
    }, "operator-start");
    starter.setDaemon(true);
    starter.start();
    stopRequested.await();
    Throwable failure = startFailure.get();
    if (failure instanceof ApiServer.Unreachable) {
      log.error("{}", failure.getMessage());
    } else if (failure != null) {
      log.error("could not start", failure);
    } else {
      log.info("stop requested");
    }
    stop.run();
    return failure == null ? 0 : 1;
  }

  /** Stops the runtime, then closes the client, once; a second caller waits for the first. */
  private static final class Stop implements Runnable {
    private final OperatorRuntime runtime;
    private final KubernetesClient client;
    private boolean done;

    Stop(OperatorRuntime runtime, KubernetesClient client) {
      this.runtime = runtime;
      this.client = client;
    }

    @Override
    public synchronized void run() {
      if (done) {
        return;
      }
      try {
        runtime.close();
      } finally {
        client.close();
        done = true;
      }
    }
  }

  /** The values of --log-format, for the help text. */
  static final class LogFormats implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return Arrays.stream(LogFormat.values()).map(LogFormat::toString).iterator();
    }
  }

  /**
   * SIGTERM (Kubernetes stopping the pod) and SIGINT (Ctrl-C) as a request to stop, so that
   * {@code run} returns and the process exits 0. The JVM's own handling would run the shutdown
   * hooks and exit 128+15 = 143, which Kubernetes reports as an error.
   */
  static final class StopSignals {
    @SuppressWarnings("restriction")
    static boolean handle(Runnable onStop) {
      try {
        AtomicInteger received = new AtomicInteger();
        for (String name : List.of("TERM", "INT")) {
          sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
            if (received.incrementAndGet() > 1) {
              // A second Ctrl-C: the user does not want to wait for the graceful stop.
              Runtime.getRuntime().halt(128 + signal.getNumber());
            }
            onStop.run();
          });
        }
        return true;
      } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
        // -Xrs, or a JVM without sun.misc.Signal: the shutdown hook does the stopping.
        return false;
      }
    }
  }
}
