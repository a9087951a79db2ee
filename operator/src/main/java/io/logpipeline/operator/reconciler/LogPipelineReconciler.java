package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.model.SharedShipperModel;
import io.logpipeline.operator.model.SpecProblem;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.health.FlowObserver;
import io.logpipeline.operator.health.FlowVerdict;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.TopicClaims;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.runtime.Failures;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Reconciles a LogPipeline: validate, then shipper, buffer, indexer and index template through
 * the workflow of dependents, then the status computed from what was observed. An invalid or
 * paused spec writes nothing but the status.
 */
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
    // shipper
    @Dependent(name = "filebeat-config", type = FilebeatConfigMapDependent.class,
        reconcilePrecondition = ShipperPlacement.Own.class),
    @Dependent(name = "filebeat-serviceaccount", type = FilebeatServiceAccountDependent.class,
        reconcilePrecondition = ShipperPlacement.Own.class),
    @Dependent(name = "filebeat-clusterrole", type = FilebeatClusterRoleDependent.class,
        reconcilePrecondition = ShipperPlacement.Own.class),
    @Dependent(name = "filebeat-clusterrolebinding", type = FilebeatClusterRoleBindingDependent.class,
        dependsOn = {"filebeat-clusterrole", "filebeat-serviceaccount"},
        reconcilePrecondition = ShipperPlacement.Own.class),
    @Dependent(name = "filebeat-kafka-credentials", type = ShipperKafkaCredentialsDependent.class),
    @Dependent(name = "filebeat", type = FilebeatDaemonSetDependent.class,
        dependsOn = {"filebeat-config", "filebeat-clusterrolebinding", "filebeat-kafka-credentials"},
        reconcilePrecondition = ShipperPlacement.Own.class),
    // buffer
    @Dependent(name = "kafka-topic", type = KafkaTopicDependent.class,
        reconcilePrecondition = KafkaTopicDependent.StrimziCluster.class),
    @Dependent(type = ExternalTopicDependent.class),
    @Dependent(name = "kafka-user-shipper", type = ShipperKafkaUserDependent.class,
        reconcilePrecondition = ShipperKafkaUserDependent.Wanted.class),
    @Dependent(name = "kafka-user-indexer", type = IndexerKafkaUserDependent.class,
        reconcilePrecondition = KafkaUserDependent.Enabled.class),
    // index templates: before any Logstash replica runs
    @Dependent(name = "index-template", type = IndexTemplateDependent.class),
    @Dependent(name = "deadletter-template", type = DeadLetterTemplateDependent.class),
    // indexer
    @Dependent(name = "logstash-config", type = LogstashConfigMapDependent.class),
    @Dependent(name = "logstash-kafka-credentials", type = IndexerKafkaCredentialsDependent.class),
    @Dependent(name = "logstash", type = LogstashStatefulSetDependent.class,
        dependsOn = {"logstash-config", "logstash-kafka-credentials", "index-template", "deadletter-template"}),
    @Dependent(name = "logstash-service", type = LogstashServiceDependent.class),
    @Dependent(name = "logstash-pdb", type = LogstashDisruptionBudgetDependent.class),
    @Dependent(name = "logstash-legacy-deployment", type = LogstashLegacyDeploymentDependent.class,
        dependsOn = "logstash"),
    // deleted before the templates, so that drained events still find their mappings
    @Dependent(name = "logstash-queue-drain", type = LogstashQueueDrainDependent.class, dependsOn = "logstash",
        deletePostcondition = LogstashQueueDrainDependent.Drained.class),
})
@ControllerConfiguration(name = LogPipelineReconciler.NAME)
@GradualRetry(maxAttempts = -1, initialInterval = 2_000, intervalMultiplier = 2, maxInterval = 300_000)
public class LogPipelineReconciler implements Reconciler<LogPipeline>, Cleaner<LogPipeline> {

  public static final String NAME = "logpipeline";
  /** Progress of a Progressing pipeline is written at most this often. */
  static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
  /** How often the sources of copied Kafka credentials are read again. */
  static final Duration CREDENTIALS_RECHECK = Duration.ofMinutes(2);
  /** How soon a deletion waiting for drain Jobs looks again, events aside. */
  static final Duration DRAIN_RECHECK = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(LogPipelineReconciler.class);

  private final SearchClients searchClients;
  private final KafkaClients kafkaClients;
  private final Clock clock;
  private final Duration templateRecheck;
  private final Duration referenceRecheck;
  private final ClusterReferences references;
  private final BooleanSupplier stopping;
  /** Observes the pipelines' data paths; null: no Flowing condition. */
  private final FlowObserver flow;
  private final ShipperClassEvents shipperClasses = new ShipperClassEvents();
  /** When this process last wrote each pipeline's status (by uid), for {@link #progressDeferral}. */
  private final Map<String, Instant> lastStatusWrite = new ConcurrentHashMap<>();

  /**
   * @param templateRecheck how often a Ready pipeline's index template is read back, so a
   *     template deleted or changed by hand in the cluster is put back
   * @param referenceRecheck how soon a pipeline waiting for a missing Secret or Kafka cluster
   *     looks again
   */
  public LogPipelineReconciler(SearchClients searchClients, Clock clock, Duration templateRecheck,
      Duration referenceRecheck) {
    this(searchClients, KafkaClients.kafka(), clock, templateRecheck, referenceRecheck, () -> false, null);
  }

  /**
   * @param stopping true once the operator is stopping. JOSDK stops the informers before the
   *     reconciles in flight have finished, so a reconcile that runs then sees children missing
   *     from the caches: it would try to create what exists and report a healthy pipeline as
   *     Degraded. Such a reconcile writes nothing; the next operator reconciles it again.
   * @param flow the flow observer, or null for no Flowing condition
   */
  public LogPipelineReconciler(SearchClients searchClients, KafkaClients kafkaClients, Clock clock,
      Duration templateRecheck, Duration referenceRecheck, BooleanSupplier stopping, FlowObserver flow) {
    this.stopping = stopping;
    this.flow = flow;
    this.searchClients = searchClients;
    this.kafkaClients = kafkaClients;
    this.clock = clock;
    this.templateRecheck = templateRecheck;
    this.referenceRecheck = referenceRecheck;
    this.references = new ClusterReferences(clock, Duration.ofMinutes(1));
  }

  /**
   * The drain Jobs of queue volumes, watched so that a Job's completion or failure brings the
   * next reconcile (or cleanup). They are owned by the LogPipeline; they are not a dependent of
   * the workflow, since how many there are follows from the volumes.
   */
  @Override
  public List<EventSource<?, LogPipeline>> prepareEventSources(EventSourceContext<LogPipeline> context) {
    TopicOwnership.index(context);
    List<EventSource<?, LogPipeline>> sources = new java.util.ArrayList<>(List.of(
        new InformerEventSource<>(InformerEventSourceConfiguration
        .from(Job.class, LogPipeline.class)
        .withName("logstash-drain-jobs")
        .withLabelSelector(Selectors.INDEXER)
        .build(), context), ShipperNodes.eventSource(context),
        shipperClasses.eventSource(context)));
    if (flow != null) {
      // The observer asks for a reconcile when a pipeline's Flowing flips or its values are due.
      var flowEvents = new SimpleInboundEventSource<LogPipeline>("flow");
      flow.onChange(flowEvents::propagateEvent);
      sources.add(flowEvents);
    }
    return sources;
  }

  @Override
  public UpdateControl<LogPipeline> reconcile(LogPipeline lp, Context<LogPipeline> context) {
    if (stopping.getAsBoolean()) {
      log.debug("the operator is stopping: not reconciled");
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    if (lp.getSpec() != null && lp.getSpec().isPaused()) {
      forgetFlow(lp);
      return statusUpdate(lp, PipelineHealth.paused(lp, now), context);
    }
    boolean childrenExist = context.getSecondaryResource(DaemonSet.class).isPresent()
        || context.getSecondaryResource(Deployment.class).isPresent()
        || context.getSecondaryResource(StatefulSet.class).isPresent();
    Pipeline pipeline;
    try {
      pipeline = Pipeline.resolve(lp);
    } catch (InvalidSpecException e) {
      // Only a new spec can fix this one: the spec change itself triggers the next reconcile.
      log.info("invalid spec, nothing written: {}", e.getMessage());
      forgetFlow(lp);
      return statusUpdate(lp, PipelineHealth.invalid(lp, "InvalidSpec", e.problems(), childrenExist, now),
          context);
    }
    Optional<ShipperClass> shipperClass = shipperClasses.of(lp, context);
    String className = ShipperClasses.className(lp);
    if (className != null && shipperClass.isEmpty()) {
      return statusUpdate(lp, PipelineHealth.invalid(lp, "MissingReference", List.of(new SpecProblem(
          "spec.shipper.className", "ShipperClass " + className + " does not exist (kubectl get"
              + " shipperclasses): name one that does, or leave it out for the default class")),
          childrenExist, now), context).rescheduleAfter(referenceRecheck);
    }
    if (shipperClass.isPresent()) {
      // A cluster fact (the class's clusterWideNamespaces), checked before anything is written.
      var denied = SharedShipperModel.tenancyProblems(pipeline, shipperClass.get().getSpec());
      if (!denied.isEmpty()) {
        log.info("nothing written, the sources reach beyond the pipeline's namespace: {}", denied);
        return statusUpdate(lp, PipelineHealth.invalid(lp, SharedShipperModel.CROSS_NAMESPACE_DENIED,
            denied, childrenExist, now), context);
      }
    }
    ShipperPlacement placement = ShipperPlacement.of(pipeline, shipperClass.orElse(null),
        context.getSecondaryResource(DaemonSet.class).isPresent());
    var taken = TopicOwnership.problems(lp, pipeline, context);
    if (!taken.isEmpty()) {
      // Its owner's deletion does not bring a reconcile here: look again after a while.
      log.info("nothing written, the topic belongs to another pipeline: {}", taken);
      return statusUpdate(lp, PipelineHealth.invalid(lp, TopicClaims.TOPIC_IN_USE, taken, childrenExist, now),
          context).rescheduleAfter(referenceRecheck);
    }
    var existingTopic = context.getSecondaryResource(KafkaTopic.class);
    var missing = references.check(pipeline, context.getClient(), existingTopic);
    if (!missing.isEmpty()) {
      // Secrets and the Kafka cluster are not watched: look again after a while.
      log.info("nothing written, the spec refers to what is not there: {}",
          missing.stream().map(Object::toString).collect(Collectors.joining("; ")));
      return statusUpdate(lp, PipelineHealth.invalid(lp, "MissingReference", missing, childrenExist, now),
          context).rescheduleAfter(referenceRecheck);
    }
    var tooLarge = references.kafkaCapacity(pipeline, context.getClient(), existingTopic);
    if (!tooLarge.isEmpty()) {
      // Nor are the KafkaNodePools: brokers added later are seen at the next look.
      log.info("nothing written, the Kafka cluster cannot hold the topic: {}",
          tooLarge.stream().map(Object::toString).collect(Collectors.joining("; ")));
      return statusUpdate(lp, PipelineHealth.invalid(lp, "KafkaClusterTooSmall", tooLarge, childrenExist, now),
          context).rescheduleAfter(referenceRecheck);
    }
    PipelineContext.put(context, pipeline, searchClients, kafkaClients);
    ShipperPlacement.put(context, placement);
    var result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    var errors = stageErrors(result.getErroredDependents());
    var kafka = PipelineContext.kafka(context);
    PipelineHealth.Observed observed = new PipelineHealth.Observed(
        context.getSecondaryResource(DaemonSet.class).orElse(null),
        context.getSecondaryResource(KafkaTopic.class).orElse(null),
        context.getSecondaryResource(StatefulSet.class).orElse(null),
        context.getSecondaryResource(Deployment.class).orElse(null),
        LogstashQueueDrainDependent.plan(pipeline, context, IndexerModel.replicas(pipeline)),
        ShipperNodes.list(context),
        context.getSecondaryResourcesAsStream(KafkaUser.class).toList(),
        kafka.waiting(), kafka.externalTopic().orElse(null), null, placement);
    FlowVerdict shown = FlowVerdict.of(lp.getStatus(), PipelineHealth.FLOWING);
    if (flow != null && errors.byCondition().isEmpty()) {
      try {
        flow.watch(FlowTargets.of(pipeline, context), shown);
      } catch (StageException e) {
        // A Secret went missing since the workflow read it: the next reconcile says so.
        log.debug("flow not observed: {}", e.getMessage());
      }
    }
    if (flow != null) {
      FlowVerdict published = flow.published(ResourceID.fromResource(lp));
      observed = observed.withFlow(published != null ? published
          : shown != null ? shown : FlowVerdict.notObserved());
    }
    LogPipelineStatus status = PipelineHealth.provisioned(lp, pipeline, observed, errors, now);
    if (!errors.byCondition().isEmpty()) {
      // The status goes out through updateErrorStatus, and JOSDK retries with backoff.
      throw new StagesFailedException(status, errors);
    }
    Optional<Duration> deferred = progressDeferral(lp, status, now);
    if (deferred.isPresent()) {
      return UpdateControl.<LogPipeline>noUpdate().rescheduleAfter(deferred.get());
    }
    // Secrets are not watched: a pipeline with Kafka credentials looks at their sources again
    // soon, so that a password or CA rotated by Strimzi reaches the copies and the pods.
    Duration recheck = KafkaSecurity.needsSecret(pipeline) && CREDENTIALS_RECHECK.compareTo(templateRecheck) < 0
        ? CREDENTIALS_RECHECK : templateRecheck;
    return statusUpdate(lp, status, context).rescheduleAfter(recheck);
  }

  @Override
  public ErrorStatusUpdateControl<LogPipeline> updateErrorStatus(
      LogPipeline lp, Context<LogPipeline> context, Exception e) {
    if (stopping.getAsBoolean()) {
      log.debug("the operator is stopping: status of a failed reconcile not written: {}", e.getMessage());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    if (isConflict(e)) {
      // Not a failure to show: the retry reconciles from the newer version.
      log.debug("the LogPipeline changed while it was reconciled; retrying: {}", e.getMessage());
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    LogPipelineStatus status;
    if (e instanceof StagesFailedException failed) {
      failed.errors().byCondition().forEach((type, error) ->
          log.warn("{} {}: {}", type, error.reason(), error.getMessage()));
      status = failed.status();
    } else {
      Failures.Described failure = Failures.describe(e);
      if (failure.expected()) {
        // The API server's or the network's doing: a stack trace would say nothing more.
        log.warn("reconcile failed: {}; retrying", failure.message());
      } else {
        log.warn("reconcile failed", e);
      }
      status = PipelineHealth.reconcileFailed(lp, String.valueOf(e.getMessage()), clock.instant());
    }
    try {
      publish(lp, status, context);
    } catch (RuntimeException writeFailed) {
      // The retry JOSDK schedules for the failure computes and writes the status again.
      log.debug("could not write the status: {}", writeFailed.getMessage());
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  @Override
  public DeleteControl cleanup(LogPipeline lp, Context<LogPipeline> context) {
    if (stopping.getAsBoolean()) {
      // The finalizer stays: the next operator cleans up.
      return DeleteControl.noFinalizerRemoval();
    }
    Pipeline pipeline = Pipeline.forCleanup(lp);
    Optional<String> input = shipperClasses.admittedIn(lp, context);
    if (input.isPresent()) {
      // Filebeat has one queue for all inputs: its events for a deleted topic would stall every
      // pipeline of the group. The topic goes only once the class has taken the input out and
      // Filebeat has had the time to stop it.
      reportDeleting(lp, new PipelineHealth.StageErrors(Map.of(PipelineHealth.SHIPPER_READY,
          new StageException("RemovingInput", "waiting for ShipperClass " + input.get()
              + " to take this pipeline's input out of its shared Filebeat"))), context);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(DRAIN_RECHECK);
    }
    PipelineContext.put(context, pipeline, searchClients, kafkaClients);
    // A pipeline refused the topic of another must not delete it on its way out.
    PipelineContext.topicOwned(context, TopicOwnership.owns(lp, pipeline, context));
    ShipperPlacement.put(context, ShipperPlacement.own());
    var result = context.managedWorkflowAndDependentResourceContext().cleanupManageWorkflow();
    if (result.erroredDependentsExist()) {
      // Keep the finalizer: JOSDK retries the cleanup with backoff until everything is gone.
      var errors = stageErrors(result.getErroredDependents());
      errors.byCondition().forEach((type, error) -> log.warn(
          "cleanup of {} failed: {}", type, error.getMessage()));
      reportDeleting(lp, errors, context);
      result.throwAggregateExceptionIfErrorsPresent();
    }
    if (!result.allPostConditionsMet()) {
      // Queue volumes are being drained: the Jobs' and claims' events bring the next cleanup,
      // the reschedule is a safety net.
      var drain = LogstashQueueDrainDependent.plan(pipeline, context, 0);
      reportDeleting(lp, new PipelineHealth.StageErrors(Map.of(PipelineHealth.INDEXER_READY,
          new StageException(drain.failed().isEmpty() ? "Draining" : "DrainFailed",
              PipelineHealth.drainMessage(drain)))), context);
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(DRAIN_RECHECK);
    }
    lastStatusWrite.remove(lp.getMetadata().getUid());
    forgetFlow(lp);
    log.info("deleted");
    return DeleteControl.defaultDelete();
  }

  private void forgetFlow(LogPipeline lp) {
    if (flow != null) {
      flow.forget(ResourceID.fromResource(lp));
    }
  }

  /** Shows why a deletion waits: phase Deleting and the failing stage's reason. */
  private void reportDeleting(LogPipeline lp, PipelineHealth.StageErrors errors,
      Context<LogPipeline> context) {
    try {
      publish(lp, PipelineHealth.deleting(lp, errors, clock.instant()), context);
    } catch (RuntimeException e) {
      log.debug("could not report the deletion status: {}", e.getMessage());
    }
  }

  /**
   * While a pipeline stays Progressing, its children report ready one by one, each a new status
   * (counts, a condition turning True). Those are written at most once per {@link
   * #PROGRESS_INTERVAL}: a change within it waits for the next reconcile, rescheduled for the end
   * of the interval. Anything else (the first status, Ready, Degraded, an error) is written at
   * once.
   */
  private Optional<Duration> progressDeferral(LogPipeline lp, LogPipelineStatus status, Instant now) {
    if (status.getPhase() != Phase.Progressing || lp.getStatus() == null
        || lp.getStatus().getPhase() != Phase.Progressing || Objects.equals(status, lp.getStatus())) {
      return Optional.empty();
    }
    Instant last = lastStatusWrite.get(lp.getMetadata().getUid());
    if (last == null) {
      return Optional.empty();
    }
    Duration left = PROGRESS_INTERVAL.minus(Duration.between(last, now));
    return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
  }

  private UpdateControl<LogPipeline> statusUpdate(
      LogPipeline lp, LogPipelineStatus status, Context<LogPipeline> context) {
    publish(lp, status, context);
    return UpdateControl.noUpdate();
  }

  /**
   * The one way a status goes out: when it differs from the one the reconcile read and the
   * operator is not stopping, the Events for its transitions, then the status itself.
   */
  private void publish(LogPipeline lp, LogPipelineStatus status, Context<LogPipeline> context) {
    if (Objects.equals(status, lp.getStatus()) || stopping.getAsBoolean()) {
      return;
    }
    emitEvents(lp, status, context);
    writeStatus(lp, status, context);
    lastStatusWrite.put(lp.getMetadata().getUid(), clock.instant());
  }

  /**
   * Replaces the whole status (it is computed whole) with optimistic locking on the version the
   * reconcile started from. A JSON patch computed from a cached status would be applied by index:
   * retried after a lost reply, or against a status that changed meanwhile, it can fail or
   * duplicate conditions. The result goes to JOSDK's cache, so the next reconcile starts from it.
   */
  private static void writeStatus(LogPipeline lp, LogPipelineStatus status, Context<LogPipeline> context) {
    // No retry here on a conflict: the status was computed from the version read, so the
    // reconcile is retried instead (JOSDK's backoff) and computes it again from the newer one.
    PrimaryUpdateAndCacheUtils.updateAndCacheResource(lp, context, r -> {
      r.setStatus(status);
      return r;
    }, r -> context.getClient().resource(r).updateStatus(), 0,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
        PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
  }

  /** A write refused because the LogPipeline changed since it was read (409, or 422 on a patch). */
  private static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && (k.getCode() == 409 || k.getCode() == 422)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A Warning Event for each condition that turned False, or changed its reason, since the last
   * status; a Normal one when Flowing turns True again.
   */
  private void emitEvents(LogPipeline lp, LogPipelineStatus status, Context<LogPipeline> context) {
    List<Condition> previous = lp.getStatus() == null || lp.getStatus().getConditions() == null
        ? List.of() : lp.getStatus().getConditions();
    for (var c : status.getConditions()) {
      // Back from False, or from Unknown (Kafka or the search cluster could not be asked): a
      // first observation after NotObservedYet is no news.
      if (PipelineHealth.FLOWING.equals(c.getType()) && "True".equals(c.getStatus())
          && previous.stream().anyMatch(old -> old.getType().equals(c.getType()) && !"True".equals(old.getStatus())
              && !FlowVerdict.NOT_OBSERVED.equals(old.getReason()))) {
        event(lp, context, "Normal", c.getReason(), "Flowing again: " + c.getMessage());
        continue;
      }
      boolean warning = PipelineHealth.VALID.equals(c.getType())
          && PipelineHealth.WITH_WARNINGS.equals(c.getReason());
      if (warning) {
        boolean sameBefore = previous.stream().anyMatch(old -> old.getType().equals(c.getType())
            && Objects.equals(old.getReason(), c.getReason()) && Objects.equals(old.getMessage(), c.getMessage()));
        if (!sameBefore) {
          event(lp, context, "Warning", "SpecWarning", c.getMessage());
        }
        continue;
      }
      if (!"False".equals(c.getStatus()) || PipelineHealth.READY.equals(c.getType())
          || "Creating".equals(c.getReason()) || c.getReason().endsWith("NotReady")
          || PipelineHealth.ROLLING_OUT.equals(c.getReason()) || "WaitingForStrimzi".equals(c.getReason())
          // Draining volumes is the normal course of a deletion; waiting for the template is
          // the template's own failure, which has its Event.
          || "Draining".equals(c.getReason()) || "WaitingForIndexTemplate".equals(c.getReason())
          // The normal course of a pipeline in a shared Filebeat: its input follows its topic.
          || SharedShipperHealth.IN_COURSE.contains(c.getReason())) {
        continue;
      }
      boolean seenBefore = previous.stream().anyMatch(old -> old.getType().equals(c.getType())
          && old.getStatus().equals(c.getStatus()) && Objects.equals(old.getReason(), c.getReason()));
      if (!seenBefore) {
        event(lp, context, "Warning", c.getReason(), c.getType() + ": " + c.getMessage());
      }
    }
  }

  private void event(LogPipeline lp, Context<LogPipeline> context, String type, String reason, String message) {
    String ts = clock.instant().toString();
    try {
      context.getClient().v1().events().inNamespace(namespace(lp)).resource(new EventBuilder()
          .withNewMetadata().withGenerateName(name(lp) + ".").withNamespace(namespace(lp)).endMetadata()
          .withInvolvedObject(new ObjectReferenceBuilder()
              .withApiVersion(lp.getApiVersion()).withKind(lp.getKind())
              .withName(name(lp)).withNamespace(namespace(lp))
              .withUid(lp.getMetadata().getUid()).build())
          .withType(type)
          .withReason(reason)
          .withMessage(message.length() > 1024 ? message.substring(0, 1021) + "..." : message)
          .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
          .withNewSource().withComponent("logpipeline-operator").endSource()
          .withReportingComponent("logpipeline-operator")
          .build()).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; failing to record one must not fail the reconcile.
      log.debug("could not record event on {}/{}: {}", namespace(lp), name(lp), e.getMessage());
    }
  }

  @SuppressWarnings("rawtypes")
  private static PipelineHealth.StageErrors stageErrors(Map<DependentResource, Exception> errored) {
    Map<String, StageException> byCondition = new LinkedHashMap<>();
    errored.forEach((dependent, error) -> byCondition.putIfAbsent(
        conditionOf(dependent), asStageException(dependent, error)));
    return new PipelineHealth.StageErrors(byCondition);
  }

  @SuppressWarnings("rawtypes")
  private static String conditionOf(DependentResource dependent) {
    if (dependent instanceof IndexTemplateDependent) {
      return PipelineHealth.INDEX_TEMPLATE_READY;
    }
    if (dependent instanceof KafkaTopicDependent || dependent instanceof ExternalTopicDependent
        || dependent instanceof KafkaUserDependent || dependent instanceof KafkaCredentialsDependent) {
      return PipelineHealth.BUFFER_READY;
    }
    if (dependent.getClass().getSimpleName().startsWith("Logstash")) {
      return PipelineHealth.INDEXER_READY;
    }
    return PipelineHealth.SHIPPER_READY;
  }

  @SuppressWarnings("rawtypes")
  private static StageException asStageException(DependentResource dependent, Exception error) {
    if (error instanceof StageException stage) {
      return stage;
    }
    if (error instanceof KubernetesClientException k) {
      String what = dependent.resourceType().getSimpleName();
      if (dependent instanceof KafkaTopicDependent && k.getCode() == 404) {
        return new StageException("StrimziMissing", "cannot create the KafkaTopic: the Strimzi"
            + " KafkaTopic CRD (kafka.strimzi.io/v1) is not installed; install Strimzi 0.49 or newer"
            + " (https://strimzi.io/quickstarts/) or fix spec.kafka.namespace", k);
      }
      return new StageException("ApplyFailed", "cannot apply " + what + ": HTTP " + k.getCode()
          + " " + Objects.requireNonNullElse(k.getStatus() == null ? null : k.getStatus().getMessage(),
              String.valueOf(k.getMessage())), k);
    }
    return new StageException("Error", dependent.name() + ": " + error.getMessage(), error);
  }

  private static String name(LogPipeline lp) {
    return lp.getMetadata().getName();
  }

  private static String namespace(LogPipeline lp) {
    return lp.getMetadata().getNamespace();
  }

  /** Stages failed; carries the status computed for them to {@link #updateErrorStatus}. */
  static final class StagesFailedException extends RuntimeException {
    private final transient LogPipelineStatus status;
    private final transient PipelineHealth.StageErrors errors;

    StagesFailedException(LogPipelineStatus status, PipelineHealth.StageErrors errors) {
      super("stages failed: " + errors.byCondition().keySet(), null, false, false);
      this.status = status;
      this.errors = errors;
    }

    LogPipelineStatus status() {
      return status;
    }

    PipelineHealth.StageErrors errors() {
      return errors;
    }
  }
}
