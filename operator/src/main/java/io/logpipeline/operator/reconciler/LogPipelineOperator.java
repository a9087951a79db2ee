package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.health.CanarySender;
import io.logpipeline.operator.health.FlowMetrics;
import io.logpipeline.operator.health.FlowObserver;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.runtime.MdcExecutorService;
import io.micrometer.core.instrument.MeterRegistry;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The operator process: the JOSDK {@link Operator} with the LogPipeline controller, configured
 * the same way for a real cluster and for tests.
 *
 * <p>Dependents are written with create/update and status with JSON patch rather than
 * server-side apply, so that the code tested against the fabric8 mock server (which has no
 * server-side apply) is the code that runs in clusters; see docs/architecture.md.
 */
public final class LogPipelineOperator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogPipelineOperator.class);
  /** How long start() waits for the informers' first list, as JOSDK's default. */
  static final Duration CACHE_SYNC_TIMEOUT = Duration.ofMinutes(2);
  static final Duration CACHE_SYNC_TIMEOUT_WITHOUT_STRIMZI = Duration.ofSeconds(5);

  /**
   * @param namespaces namespaces to watch for LogPipelines; empty means all
   * @param templateRecheck how often a Ready pipeline's index template is read back
   * @param retryInitial first retry delay after a failed reconcile; it doubles up to retryMax
   * @param retryMax longest delay between retries
   * @param referenceRecheck how soon a pipeline waiting for a missing Secret or Kafka looks again
   * @param meterRegistry where JOSDK's reconciliation metrics go; null: no metrics
   * @param leaderElection the Lease to hold before reconciling; null: no leader election
   * @param shutdownTimeout how long {@link #close()} waits for reconciles in flight
   * @param flow how the data paths are observed; null: not at all (no Flowing condition)
   * @param operatorNamespace where the shared shippers of ShipperClasses run
   * @param inputReloadWait how long a shared Filebeat is given to stop an input taken out of its
   *     ConfigMap, before the input is added again changed or the pipeline's topic is deleted
   */
  public record Options(Set<String> namespaces, Duration templateRecheck,
      Duration retryInitial, Duration retryMax, Duration referenceRecheck,
      MeterRegistry meterRegistry, LeaderElection leaderElection, Duration shutdownTimeout,
      Flow flow, String operatorNamespace, Duration inputReloadWait) {

    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
    /**
     * kubelet refreshes a mounted ConfigMap within its sync period and cache TTL (a minute each
     * by default), and Filebeat looks at its input files every reload period.
     */
    public static final Duration DEFAULT_INPUT_RELOAD_WAIT = Duration.ofMinutes(2)
        .plusSeconds(io.logpipeline.operator.model.SharedShipperModel.RELOAD_PERIOD_SECONDS);

    /** Without metrics and leader election, as before they existed. */
    public Options(Set<String> namespaces, Duration templateRecheck, Duration retryInitial,
        Duration retryMax, Duration referenceRecheck) {
      this(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck, null, null,
          DEFAULT_SHUTDOWN_TIMEOUT, null, io.logpipeline.operator.runtime.PodEnvironment.namespace(),
          DEFAULT_INPUT_RELOAD_WAIT);
    }

    public static Options defaults() {
      return new Options(Set.of(), Duration.ofMinutes(10), Duration.ofSeconds(2), Duration.ofMinutes(5),
          Duration.ofSeconds(30));
    }

    public Options withNamespaces(Set<String> namespaces) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck,
          meterRegistry, leaderElection, shutdownTimeout, flow,
          operatorNamespace, inputReloadWait);
    }

    public Options withRetry(Duration initial, Duration max) {
      return new Options(namespaces, templateRecheck, initial, max, referenceRecheck,
          meterRegistry, leaderElection, shutdownTimeout, flow,
          operatorNamespace, inputReloadWait);
    }

    public Options withTemplateRecheck(Duration recheck) {
      return new Options(namespaces, recheck, retryInitial, retryMax, referenceRecheck,
          meterRegistry, leaderElection, shutdownTimeout, flow,
          operatorNamespace, inputReloadWait);
    }

    public Options withReferenceRecheck(Duration recheck) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, recheck,
          meterRegistry, leaderElection, shutdownTimeout, flow,
          operatorNamespace, inputReloadWait);
    }

    public Options withMeterRegistry(MeterRegistry registry) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck,
          registry, leaderElection, shutdownTimeout, flow,
          operatorNamespace, inputReloadWait);
    }

    public Options withLeaderElection(LeaderElection election) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck,
          meterRegistry, election, shutdownTimeout, flow,
          operatorNamespace, inputReloadWait);
    }

    public Options withFlow(Flow flow) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck,
          meterRegistry, leaderElection, shutdownTimeout, flow,
          operatorNamespace, inputReloadWait);
    }

    public Options withOperatorNamespace(String namespace) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck,
          meterRegistry, leaderElection, shutdownTimeout, flow, namespace, inputReloadWait);
    }

    public Options withInputReloadWait(Duration wait) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck,
          meterRegistry, leaderElection, shutdownTimeout, flow, operatorNamespace, wait);
    }

    public Options withShutdownTimeout(Duration timeout) {
      return new Options(namespaces, templateRecheck, retryInitial, retryMax, referenceRecheck,
          meterRegistry, leaderElection, timeout, flow,
          operatorNamespace, inputReloadWait);
    }
  }

  /**
   * The flow observer's timing.
   *
   * @param pollInterval how often every pipeline's lag, newest event, dead letters and canary are read
   * @param statusInterval how old status.flow may grow before it is written again (a flip of
   *     Flowing is written at once)
   * @param canaries whether canaries are sent (the observer still reads them when off)
   */
  public record Flow(Duration pollInterval, Duration statusInterval, boolean canaries) {
    public static Flow defaults() {
      return new Flow(Duration.ofMinutes(1), Duration.ofMinutes(5), true);
    }
  }

  /**
   * Leader election on a {@code coordination.k8s.io/v1} Lease: only the holder reconciles, the
   * others keep their caches warm and take over when the Lease expires or is released.
   *
   * @param leaseName the Lease's name
   * @param leaseNamespace the Lease's namespace
   * @param identity this instance's holder identity; unique per process
   * @param leaseDuration how long a standby waits after the last renewal before taking over
   * @param renewDeadline how long the leader keeps trying to renew before giving up leadership
   * @param retryPeriod how often candidates try to acquire, and the leader renews
   * @param onLostLeadership run when leadership is lost while the operator is not closing (the
   *     leader's renewals failed); the process must stop reconciling, {@link #exitProcess()} is
   *     what a pod wants: it restarts and becomes a standby
   */
  public record LeaderElection(String leaseName, String leaseNamespace, String identity,
      Duration leaseDuration, Duration renewDeadline, Duration retryPeriod, Runnable onLostLeadership) {

    public static final String DEFAULT_LEASE_NAME = "logpipeline-operator-leader";

    public LeaderElection {
      Objects.requireNonNull(leaseName, "leaseName");
      Objects.requireNonNull(leaseNamespace, "leaseNamespace");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(onLostLeadership, "onLostLeadership");
    }

    /** The default Lease name and client-go's timings (15 s lease, 10 s renew deadline, 2 s retry). */
    public static LeaderElection of(String leaseNamespace, String identity) {
      return new LeaderElection(DEFAULT_LEASE_NAME, leaseNamespace, identity, Duration.ofSeconds(15),
          Duration.ofSeconds(10), Duration.ofSeconds(2), exitProcess());
    }

    public LeaderElection withTimings(Duration lease, Duration renew, Duration retry) {
      return new LeaderElection(leaseName, leaseNamespace, identity, lease, renew, retry, onLostLeadership);
    }

    public LeaderElection withOnLostLeadership(Runnable action) {
      return new LeaderElection(leaseName, leaseNamespace, identity, leaseDuration, renewDeadline,
          retryPeriod, action);
    }

    /** Exits the JVM with status 1 from a thread of its own (never from a shutdown hook's). */
    public static Runnable exitProcess() {
      return () -> {
        Thread exit = new Thread(() -> System.exit(1), "lost-leadership-exit");
        exit.start();
      };
    }
  }

  private final Operator operator;
  private final SearchClients searchClients;
  private final KafkaClients kafkaClients;
  private final RegisteredController<LogPipeline> controller;
  private final KubernetesClient client;
  private final LeaderElection leaderElection;
  private final AtomicBoolean leading;
  private final AtomicBoolean closing;
  private final Object lifecycle = new Object();
  private final AtomicBoolean shutDown = new AtomicBoolean();
  private boolean starting;
  private final FlowObserver flow;

  private LogPipelineOperator(Operator operator, SearchClients searchClients, KafkaClients kafkaClients,
      RegisteredController<LogPipeline> controller, KubernetesClient client,
      LeaderElection leaderElection, AtomicBoolean leading, AtomicBoolean closing, FlowObserver flow) {
    this.flow = flow;
    this.operator = operator;
    this.searchClients = searchClients;
    this.kafkaClients = kafkaClients;
    this.controller = controller;
    this.client = client;
    this.leaderElection = leaderElection;
    this.leading = leading;
    this.closing = closing;
  }

  /**
   * Registers the controller and starts it; returns once the informers have synced. With leader
   * election, that is before this instance leads: it reconciles only once it holds the Lease.
   */
  public static LogPipelineOperator start(
      KubernetesClient client, SearchClients searchClients, Options options) {
    return start(client, searchClients, KafkaClients.kafka(), options);
  }

  /** As {@link #start(KubernetesClient, SearchClients, Options)}, with these Kafka clients. */
  public static LogPipelineOperator start(KubernetesClient client, SearchClients searchClients,
      KafkaClients kafkaClients, Options options) {
    LogPipelineOperator operator = create(client, searchClients, kafkaClients, options);
    operator.startAndAwaitSync();
    return operator;
  }

  /**
   * Registers the controller without starting it, so that {@link #close()} can be called from
   * another thread while {@link #startAndAwaitSync()} waits for the informers.
   */
  public static LogPipelineOperator create(
      KubernetesClient client, SearchClients searchClients, Options options) {
    return create(client, searchClients, KafkaClients.kafka(), options);
  }

  /** As {@link #create(KubernetesClient, SearchClients, Options)}, with these Kafka clients. */
  public static LogPipelineOperator create(KubernetesClient client, SearchClients searchClients,
      KafkaClients kafkaClients, Options options) {
    AtomicBoolean leading = new AtomicBoolean(options.leaderElection() == null);
    AtomicBoolean closing = new AtomicBoolean(false);
    LeaderElection election = options.leaderElection();
    boolean strimzi = strimziInstalled(client);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          // An informer whose API is missing (Strimzi not installed) must not stop the operator:
          // it retries in the background, and the pipelines say what is missing (BufferReady).
          .withStopOnInformerErrorDuringStartup(false)
          // Without Strimzi the KafkaTopic informer cannot sync: waiting for it is pointless.
          .withCacheSyncTimeout(strimzi ? CACHE_SYNC_TIMEOUT : CACHE_SYNC_TIMEOUT_WITHOUT_STRIMZI)
          .withCloseClientOnStop(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withReconciliationTerminationTimeout(options.shutdownTimeout())
          // Dependents run on the workflow executor's threads: carry the reconcile's MDC
          // (resource.namespace, resource.name) there too, so their log lines name the pipeline.
          .withWorkflowExecutorService(new MdcExecutorService(Executors.newFixedThreadPool(
              ConfigurationService.DEFAULT_WORKFLOW_EXECUTOR_THREAD_NUMBER)));
      if (options.meterRegistry() != null) {
        // Totals per controller: per-resource meters would add time series for every pipeline.
        o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(options.meterRegistry()));
      }
      if (election != null) {
        o.withLeaderElectionConfiguration(LeaderElectionConfigurationBuilder
            .aLeaderElectionConfiguration(election.leaseName())
            .withLeaseNamespace(election.leaseNamespace())
            .withIdentity(election.identity())
            .withLeaseDuration(election.leaseDuration())
            .withRenewDeadline(election.renewDeadline())
            .withRetryPeriod(election.retryPeriod())
            // JOSDK's exit calls System.exit(1) on the thread that stops leading, which on a
            // graceful stop is the one calling Operator.stop(): from a shutdown hook that never
            // returns, elsewhere it turns a clean stop into status 1. Decide here instead.
            .withExitOnStopLeading(false)
            .withLeaderCallbacks(new LeaderCallbacks(
                () -> {
                  leading.set(true);
                  log.info("leading: this instance ({}) holds Lease {}/{} and reconciles",
                      election.identity(), election.leaseNamespace(), election.leaseName());
                },
                () -> {
                  leading.set(false);
                  if (!closing.get()) {
                    log.error("lost Lease {}/{}: stopping so that only the new leader reconciles",
                        election.leaseNamespace(), election.leaseName());
                    election.onLostLeadership().run();
                  }
                },
                leader -> log.info("leader is {}", leader)))
            .build());
      }
    });
    FlowObserver flow = options.flow() == null ? null : new FlowObserver(kafkaClients, searchClients,
        options.flow().canaries() ? new CanarySender() : CanarySender.none(),
        new FlowMetrics(options.meterRegistry()), Clock.systemUTC(), options.flow().pollInterval(),
        options.flow().statusInterval(), () -> leading.get() && !closing.get());
    var reconciler = new LogPipelineReconciler(searchClients, kafkaClients, Clock.systemUTC(),
        options.templateRecheck(), options.referenceRecheck(), closing::get, flow);
    RegisteredController<LogPipeline> controller = operator.register(reconciler, c -> {
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
    // The one writer of the shared shippers: JOSDK reconciles each class one at a time.
    operator.register(new ShipperClassReconciler(options.operatorNamespace(), options.namespaces(),
        Clock.systemUTC(), options.inputReloadWait(), closing::get), c -> {
          c.withRetry(new GenericRetry()
              .withoutMaxAttempts()
              .setInitialInterval(options.retryInitial().toMillis())
              .setIntervalMultiplier(2)
              .setMaxInterval(options.retryMax().toMillis()));
          // The shared shippers live in the operator's namespace only: watch there, not everywhere.
          ShipperClassReconciler.NAMESPACED_DEPENDENTS.forEach((name, type) ->
              c.replacingNamedDependentResourceConfig(name, inOperatorNamespace(type, options.operatorNamespace())));
        });
    return new LogPipelineOperator(operator, searchClients, kafkaClients, controller, client, election,
        leading, closing, flow);
  }

  private static <R extends HasMetadata> Object inOperatorNamespace(Class<R> type, String namespace) {
    return new io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfigBuilder<R>()
        .withKubernetesDependentInformerConfig(io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration
            .builder(type).withNamespaces(Set.of(namespace)).withLabelSelector(Selectors.SHARED_SHIPPER).build())
        .build();
  }

  /**
   * Starts the informers and, with leader election, the election; returns once the informers
   * have synced (or JOSDK's cache sync timeout passed). When {@link #close()} ran meanwhile, the
   * operator is stopped again before this returns.
   */
  public void startAndAwaitSync() {
    synchronized (lifecycle) {
      if (closing.get()) {
        return;
      }
      starting = true;
    }
    try {
      operator.start();
    } finally {
      synchronized (lifecycle) {
        starting = false;
        lifecycle.notifyAll();
      }
    }
    if (closing.get()) {
      // close() came while the informers synced: JOSDK could not stop what had not started yet.
      shutdown();
    } else if (flow != null) {
      flow.start();
    }
  }

  /** The flow observer, or empty when the data paths are not observed. */
  public java.util.Optional<FlowObserver> flowObserver() {
    return java.util.Optional.ofNullable(flow);
  }

  public Operator operator() {
    return operator;
  }

  /**
   * Whether the API server serves Strimzi's KafkaTopic, through discovery (which every
   * authenticated client may read). When it does not, the operator still starts and provisions
   * every other stage; the KafkaTopic informer keeps retrying and syncs once Strimzi is there.
   */
  static boolean strimziInstalled(KubernetesClient client) {
    try {
      if (client.getApiResources(HasMetadata.getApiVersion(KafkaTopic.class)) != null) {
        return true;
      }
    } catch (KubernetesClientException e) {
      log.debug("cannot tell whether Strimzi is installed: {}", e.getMessage());
      return true;
    }
    log.warn("Strimzi is not installed: the API server does not serve kafka.strimzi.io/v1 KafkaTopics."
        + " Pipelines are provisioned without their topic and report BufferReady=False until"
        + " Strimzi 0.49 or newer is installed (https://strimzi.io/quickstarts/)");
    return false;
  }

  /** True while this instance reconciles: it holds the Lease, or leader election is off. */
  public boolean isLeader() {
    return leading.get() && !closing.get();
  }

  /**
   * The LogPipelines in the controller's informer cache (no API call); empty before the
   * informers started and after they stopped.
   */
  @SuppressWarnings("unchecked")
  public Stream<LogPipeline> cachedPipelines() {
    if (!(controller instanceof Controller<?> c) || !operator.getRuntimeInfo().isStarted()) {
      return Stream.empty();
    }
    return ((Controller<LogPipeline>) c).getEventSourceManager().getControllerEventSource()
        .list(lp -> true);
  }

  /**
   * Stops reconciling (waiting up to the shutdown timeout for reconciles in flight), then hands
   * the Lease over, so a standby takes over at its next retry rather than after the lease
   * duration. Idempotent.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    synchronized (lifecycle) {
      if (starting) {
        // startAndAwaitSync() stops everything once JOSDK's start returns. Nothing has been
        // reconciled yet, and JOSDK starts the leader election only after the informers synced.
        return;
      }
    }
    shutdown();
  }

  private void shutdown() {
    if (!shutDown.compareAndSet(false, true)) {
      return;
    }
    if (flow != null) {
      flow.close();
    }
    operator.stop();
    if (leaderElection != null) {
      releaseLease();
    }
    leading.set(false);
    searchClients.close();
    kafkaClients.close();
  }

  /** What client-go does with ReleaseOnCancel, which JOSDK does not turn on. */
  private void releaseLease() {
    try {
      Lease lease = client.leases().inNamespace(leaderElection.leaseNamespace())
          .withName(leaderElection.leaseName()).get();
      if (lease == null || lease.getSpec() == null
          || !leaderElection.identity().equals(lease.getSpec().getHolderIdentity())) {
        return;
      }
      ZonedDateTime now = ZonedDateTime.ofInstant(Instant.now(), ZoneOffset.UTC);
      lease.getSpec().setHolderIdentity(null);
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(now);
      // update() sends the resourceVersion read above: if a standby took the Lease meanwhile,
      // this is a conflict, and the Lease is rightly left alone.
      client.resource(lease).update();
      log.info("released Lease {}/{}", leaderElection.leaseNamespace(), leaderElection.leaseName());
    } catch (KubernetesClientException e) {
      log.warn("could not release Lease {}/{} (a standby takes over when it expires): {}",
          leaderElection.leaseNamespace(), leaderElection.leaseName(), e.getMessage());
    }
  }
}
