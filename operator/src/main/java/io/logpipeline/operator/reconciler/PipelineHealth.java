package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.logpipeline.operator.model.QueueDrain;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SpecProblem;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Computes the whole status from what one reconcile observed: children's own status, errors of
 * the stages, the validation result. Nothing is carried over from the previous status except a
 * condition's lastTransitionTime while its status has not flipped.
 */
public final class PipelineHealth {

  public static final String VALID = "Valid";
  public static final String SHIPPER_READY = "ShipperReady";
  public static final String BUFFER_READY = "BufferReady";
  public static final String INDEXER_READY = "IndexerReady";
  public static final String INDEX_TEMPLATE_READY = "IndexTemplateReady";
  public static final String READY = "Ready";
  /** Reason of a True Valid condition whose message lists what is legal but likely unintended. */
  public static final String WITH_WARNINGS = "ValidWithWarnings";

  /** Stage errors keyed by condition type. */
  public record StageErrors(Map<String, StageException> byCondition) {
    public Optional<StageException> of(String conditionType) {
      return Optional.ofNullable(byCondition.get(conditionType));
    }
  }

  /**
   * What a reconcile saw of the children; nulls for the ones that do not exist (yet).
   *
   * @param legacyDeployment the Logstash Deployment of an earlier version, until it is replaced
   * @param drain what is being done about the queue volumes of removed replicas
   */
  public record Observed(DaemonSet daemonSet, KafkaTopic topic, StatefulSet statefulSet,
      Deployment legacyDeployment, QueueDrain.Plan drain) {}

  private PipelineHealth() {}

  /** Status of a pipeline whose stages were reconciled. */
  public static LogPipelineStatus provisioned(
      LogPipeline lp, Pipeline p, Observed seen, StageErrors errors, Instant now) {
    List<Condition> conditions = new ArrayList<>();
    long gen = generation(lp);
    conditions.add(p.warnings().isEmpty()
        ? condition(VALID, true, "Valid", "spec is valid", gen)
        : condition(VALID, true, WITH_WARNINGS, "spec is valid, but: " + p.warnings().stream()
            .map(SpecProblem::toString).collect(Collectors.joining("; ")), gen));

    LogPipelineStatus status = new LogPipelineStatus();
    // Shipper
    var dsStatus = seen.daemonSet() == null ? null : seen.daemonSet().getStatus();
    int desiredNodes = dsStatus == null ? 0 : orZero(dsStatus.getDesiredNumberScheduled());
    int readyNodes = dsStatus == null ? 0 : orZero(dsStatus.getNumberReady());
    status.setShipper(new LogPipelineStatus.ShipperStatus(desiredNodes, readyNodes));
    status.setShippers(readyNodes + "/" + desiredNodes);
    conditions.add(errors.of(SHIPPER_READY).map(e -> failed(SHIPPER_READY, e, gen)).orElseGet(() -> {
      if (seen.daemonSet() == null) {
        return condition(SHIPPER_READY, false, "Creating", "Filebeat DaemonSet is being created", gen);
      }
      // Until the DaemonSet controller has observed this spec, its node counts mean nothing.
      boolean observed = dsStatus != null
          && Objects.equals(dsStatus.getObservedGeneration(), seen.daemonSet().getMetadata().getGeneration());
      boolean rolledOut = observed && orZero(dsStatus.getUpdatedNumberScheduled()) == desiredNodes;
      if (desiredNodes == 0 && !observed) {
        return condition(SHIPPER_READY, false, "NodesNotReady",
            "waiting for the DaemonSet controller to schedule Filebeat", gen);
      }
      if (desiredNodes == 0) {
        return condition(SHIPPER_READY, false, "NoNodes", "0 nodes run Filebeat: check"
            + " spec.shipper.nodeSelector and spec.shipper.tolerations", gen);
      }
      boolean ready = readyNodes == desiredNodes && rolledOut;
      return condition(SHIPPER_READY, ready, ready ? "Ready" : "NodesNotReady",
          readyNodes + "/" + desiredNodes + " nodes", gen);
    }));

    // Buffer
    int partitions = p.spec().getKafka().getTopic() == null ? 6 : p.spec().getKafka().getTopic().getPartitions();
    status.setBuffer(new LogPipelineStatus.BufferStatus(p.topicName(), partitions));
    conditions.add(errors.of(BUFFER_READY).map(e -> failed(BUFFER_READY, e, gen)).orElseGet(() -> {
      if (seen.topic() == null) {
        return condition(BUFFER_READY, false, "Creating", "KafkaTopic is being created", gen);
      }
      Optional<Condition> strimzi = seen.topic().getStatus() == null
          || seen.topic().getStatus().getConditions() == null
          ? Optional.empty()
          : seen.topic().getStatus().getConditions().stream()
              .filter(c -> READY.equals(c.getType())).findFirst()
              .map(c -> new ConditionBuilder().withType(c.getType()).withStatus(c.getStatus())
                  .withReason(c.getReason()).withMessage(c.getMessage()).build());
      if (strimzi.isEmpty()) {
        return condition(BUFFER_READY, false, "WaitingForStrimzi", "topic " + p.topicName()
            + " not yet reconciled by the Strimzi Topic Operator of Kafka cluster "
            + p.spec().getKafka().getCluster() + " in namespace " + p.kafkaNamespace(), gen);
      }
      if ("True".equals(strimzi.get().getStatus())) {
        return condition(BUFFER_READY, true, "Ready", "topic " + p.topicName() + " Ready in Strimzi", gen);
      }
      return condition(BUFFER_READY, false,
          Objects.requireNonNullElse(strimzi.get().getReason(), "TopicNotReady"),
          "Strimzi reports topic " + p.topicName() + " not ready: "
              + Objects.requireNonNullElse(strimzi.get().getMessage(), "no message"), gen);
    }));

    // Indexer
    int replicas = io.logpipeline.operator.model.IndexerModel.replicas(p);
    StatefulSet sts = seen.statefulSet();
    int readyReplicas = sts == null || sts.getStatus() == null ? 0 : orZero(sts.getStatus().getReadyReplicas());
    List<String> draining = seen.drain() == null ? List.of() : seen.drain().draining();
    status.setIndexer(new LogPipelineStatus.IndexerStatus(replicas, readyReplicas, List.copyOf(draining)));
    status.setIndexers(readyReplicas + "/" + replicas);
    conditions.add(errors.of(INDEXER_READY).map(e -> failed(INDEXER_READY, e, gen)).orElseGet(() -> {
      String legacy = seen.legacyDeployment() == null ? ""
          : "; the Deployment " + seen.legacyDeployment().getMetadata().getName()
              + " of the previous version keeps consuming until the StatefulSet is ready";
      if (sts == null && errors.of(INDEX_TEMPLATE_READY).isPresent()) {
        return condition(INDEXER_READY, false, "WaitingForIndexTemplate", "Logstash starts once the"
            + " index templates are in the search cluster (see IndexTemplateReady)" + legacy, gen);
      }
      if (sts == null) {
        return condition(INDEXER_READY, false, "Creating", "Logstash StatefulSet is being created" + legacy, gen);
      }
      if (seen.drain() != null && !seen.drain().failed().isEmpty()) {
        return condition(INDEXER_READY, false, "DrainFailed", drainMessage(seen.drain()), gen);
      }
      String drainNote = draining.isEmpty() ? "" : "; " + drainMessage(seen.drain());
      if (replicas == 0) {
        return condition(INDEXER_READY, false, "ScaledToZero",
            "spec.indexer.replicas is 0: events wait in the topic" + drainNote, gen);
      }
      var ss = sts.getStatus();
      boolean rolledOut = ss != null
          && Objects.equals(ss.getObservedGeneration(), sts.getMetadata().getGeneration())
          && orZero(ss.getUpdatedReplicas()) == replicas;
      boolean ready = readyReplicas >= replicas && rolledOut;
      String message = readyReplicas + "/" + replicas + " replicas";
      if (replicas > partitions) {
        message += "; " + (replicas - partitions) + " of them idle: the topic has only "
            + partitions + " partitions (raise spec.kafka.topic.partitions or lower spec.indexer.replicas)";
      }
      return condition(INDEXER_READY, ready, ready ? "Ready" : "ReplicasNotReady",
          message + (ready ? "" : legacy) + drainNote, gen);
    }));

    // Index template
    status.setIndexTemplate(new LogPipelineStatus.IndexTemplateStatus(p.templateName()));
    conditions.add(errors.of(INDEX_TEMPLATE_READY).map(e -> failed(INDEX_TEMPLATE_READY, e, gen))
        .orElseGet(() -> condition(INDEX_TEMPLATE_READY, true, "Ready",
            "index template " + p.templateName() + " is current", gen)));

    List<String> notReady = conditions.stream()
        .filter(c -> !"True".equals(c.getStatus())).map(Condition::getType).toList();
    conditions.add(notReady.isEmpty()
        ? condition(READY, true, "Ready", "every stage is ready", gen)
        : condition(READY, false, notReady.get(0) + "NotReady",
            "not ready: " + String.join(", ", notReady), gen));

    Phase previous = lp.getStatus() == null ? null : lp.getStatus().getPhase();
    Phase phase;
    if (notReady.isEmpty()) {
      phase = Phase.Ready;
    } else if (!errors.byCondition().isEmpty()
        || previous == Phase.Ready || previous == Phase.Degraded) {
      phase = Phase.Degraded;
    } else {
      phase = Phase.Progressing;
    }
    return finish(lp, status, conditions, phase, now);
  }

  /** Status of a pipeline whose spec cannot be provisioned: what exists is left alone. */
  public static LogPipelineStatus invalid(LogPipeline lp, String reason, List<SpecProblem> problems,
      boolean childrenExist, Instant now) {
    long gen = generation(lp);
    String message = problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
    LogPipelineStatus status = keepObservations(lp);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(VALID, false, reason, message, gen));
    conditions.add(condition(READY, false, reason,
        childrenExist ? "the last valid spec keeps running unchanged" : "nothing was provisioned", gen));
    Phase previous = lp.getStatus() == null ? null : lp.getStatus().getPhase();
    boolean wasRunning = childrenExist || previous == Phase.Ready || previous == Phase.Degraded;
    return finish(lp, status, conditions, wasRunning ? Phase.Degraded : Phase.Failed, now);
  }

  /** Status of a pipeline whose deletion waits for a stage that cannot be cleaned up yet. */
  public static LogPipelineStatus deleting(LogPipeline lp, StageErrors errors, Instant now) {
    long gen = generation(lp);
    LogPipelineStatus status = keepObservations(lp);
    List<Condition> conditions = new ArrayList<>();
    errors.byCondition().forEach((type, e) -> conditions.add(failed(type, e, gen)));
    String hint = errors.of(INDEX_TEMPLATE_READY).isPresent()
        ? " (if the search cluster is gone for good, annotate the LogPipeline with "
            + LogPipeline.SKIP_EXTERNAL_CLEANUP + "=true to finish without removing the index template)"
        : errors.of(INDEXER_READY).isPresent()
        ? " (draining needs the search cluster; if it is gone for good, annotate the LogPipeline with "
            + LogPipeline.SKIP_EXTERNAL_CLEANUP + "=true to finish now: the queue volumes are then kept)"
        : "";
    conditions.add(condition(READY, false, "Deleting", "deletion waits for: "
        + String.join(", ", errors.byCondition().keySet()) + "; retrying" + hint, gen));
    return finish(lp, status, conditions, Phase.Deleting, now);
  }

  /**
   * Status after an unexpected failure (not a stage's): what was observed before stays, with
   * Ready False saying what failed; the next successful reconcile recomputes everything.
   */
  public static LogPipelineStatus reconcileFailed(LogPipeline lp, String message, Instant now) {
    LogPipelineStatus old = lp.getStatus() == null ? new LogPipelineStatus() : lp.getStatus();
    LogPipelineStatus status = keepObservations(lp);
    List<Condition> conditions = new ArrayList<>(old.getConditions() == null ? List.of() : old.getConditions());
    conditions.removeIf(c -> READY.equals(c.getType()));
    conditions.add(condition(READY, false, "ReconcileError", message, generation(lp)));
    LogPipelineStatus result = finish(lp, status, conditions, old.getPhase(), now);
    result.setObservedGeneration(old.getObservedGeneration());
    return result;
  }

  /** Status of a paused pipeline. */
  public static LogPipelineStatus paused(LogPipeline lp, Instant now) {
    long gen = generation(lp);
    LogPipelineStatus status = keepObservations(lp);
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(READY, false, "Paused",
        "spec.paused is true: the operator changes nothing", gen));
    return finish(lp, status, conditions, Phase.Paused, now);
  }

  /** What the status says of queue volumes being drained, or whose drain failed. */
  static String drainMessage(QueueDrain.Plan drain) {
    List<String> parts = new ArrayList<>();
    if (!drain.draining().isEmpty() || !drain.deleteClaims().isEmpty()) {
      List<String> claims = new ArrayList<>(drain.draining());
      drain.deleteClaims().forEach(c -> claims.add(c.getMetadata().getName()));
      parts.add("draining queue volumes of removed replicas before deleting them: " + String.join(", ", claims));
    }
    drain.failed().forEach((claim, job) -> parts.add("drain Job " + job + " failed, queue volume " + claim
        + " is kept: read the Job's pod logs, fix the cause, then delete the Job to retry"));
    return parts.isEmpty() ? "no queue volume left to drain" : String.join("; ", parts);
  }

  private static LogPipelineStatus keepObservations(LogPipeline lp) {
    LogPipelineStatus status = new LogPipelineStatus();
    if (lp.getStatus() != null) {
      status.setShipper(lp.getStatus().getShipper());
      status.setShippers(lp.getStatus().getShippers());
      status.setBuffer(lp.getStatus().getBuffer());
      status.setIndexer(lp.getStatus().getIndexer());
      status.setIndexers(lp.getStatus().getIndexers());
      status.setIndexTemplate(lp.getStatus().getIndexTemplate());
    }
    return status;
  }

  private static LogPipelineStatus finish(LogPipeline lp, LogPipelineStatus status,
      List<Condition> conditions, Phase phase, Instant now) {
    List<Condition> previous = lp.getStatus() == null || lp.getStatus().getConditions() == null
        ? List.of() : lp.getStatus().getConditions();
    String timestamp = now.truncatedTo(ChronoUnit.SECONDS).toString();
    for (Condition c : conditions) {
      c.setLastTransitionTime(previous.stream()
          .filter(old -> old.getType().equals(c.getType()) && old.getStatus().equals(c.getStatus()))
          .map(Condition::getLastTransitionTime)
          .filter(Objects::nonNull)
          .findFirst()
          .orElse(timestamp));
    }
    status.setConditions(conditions);
    status.setPhase(phase);
    status.setObservedGeneration(generation(lp));
    return status;
  }

  private static Condition failed(String type, StageException e, long gen) {
    return condition(type, false, e.reason(), e.getMessage(), gen);
  }

  static Condition condition(String type, boolean ok, String reason, String message, long gen) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(ok ? "True" : "False")
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(gen)
        .build();
  }

  private static long generation(LogPipeline lp) {
    return Objects.requireNonNullElse(lp.getMetadata().getGeneration(), 0L);
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}
