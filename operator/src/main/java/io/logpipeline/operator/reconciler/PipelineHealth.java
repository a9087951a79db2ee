package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.logpipeline.operator.health.FlowVerdict;
import io.logpipeline.operator.model.QueueDrain;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import io.logpipeline.operator.model.SpecProblem;
import io.logpipeline.operator.kafka.TopicDescription;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.KafkaUserModel;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

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
  /** Whether logs move through the pipeline; apart from Ready, which says the objects exist. */
  public static final String FLOWING = "Flowing";
  /** Whether the pipeline's input is in its class's shared Filebeat (new with ShipperClasses). */
  public static final String SHIPPER_CONFIGURED = "ShipperConfigured";
  /**
   * Reason of ShipperReady or IndexerReady while the workload's controller has not yet brought
   * every pod to the current spec; the phase is then Progressing, not Degraded.
   */
  public static final String ROLLING_OUT = "RollingOut";
  /** Reason of a True Valid condition whose message lists what is legal but likely unintended. */
  public static final String WITH_WARNINGS = "ValidWithWarnings";

  /** Stage errors keyed by condition type. */
  public record StageErrors(Map<String, StageException> byCondition) {
    public Optional<StageException> of(String conditionType) {
      return Optional.ofNullable(byCondition.get(conditionType));
    }
  }

  /**
   * What a reconcile saw of the children, nulls for the ones that do not exist (yet).
   *
   * @param legacyDeployment the Logstash Deployment of an earlier version, until it is replaced
   * @param drain what is being done about the queue volumes of removed replicas
   * @param nodes the cluster's nodes (empty when unknown)
   * @param kafkaUsers the pipeline's Strimzi KafkaUsers that exist
   * @param credentialsWaiting per client, what its copied Kafka credentials still wait for
   * @param externalTopic the topic of an external Kafka, as the operator left it
   * @param flow the data path as the flow observer last published it, or null when no observer runs
   * @param placement where the shipper runs (a class's shared Filebeat, or its own DaemonSet)
   */
  public record Observed(DaemonSet daemonSet, KafkaTopic topic, StatefulSet statefulSet,
      Deployment legacyDeployment, QueueDrain.Plan drain, List<Node> nodes,
      List<KafkaUser> kafkaUsers, Map<Role, String> credentialsWaiting, TopicDescription externalTopic,
      FlowVerdict flow, ShipperPlacement placement) {

    public Observed(DaemonSet daemonSet, KafkaTopic topic, StatefulSet statefulSet,
        Deployment legacyDeployment, QueueDrain.Plan drain, List<Node> nodes,
        List<KafkaUser> kafkaUsers, Map<Role, String> credentialsWaiting, TopicDescription externalTopic) {
      this(daemonSet, topic, statefulSet, legacyDeployment, drain, nodes, kafkaUsers, credentialsWaiting,
          externalTopic, null, ShipperPlacement.own());
    }

    public Observed(DaemonSet daemonSet, KafkaTopic topic, StatefulSet statefulSet) {
      this(daemonSet, topic, statefulSet, null, null, List.of(), List.of(), Map.of(), null, null,
          ShipperPlacement.own());
    }

    public Observed(DaemonSet daemonSet, KafkaTopic topic, StatefulSet statefulSet,
        Deployment legacyDeployment, QueueDrain.Plan drain) {
      this(daemonSet, topic, statefulSet, legacyDeployment, drain, List.of(), List.of(), Map.of(), null, null,
          ShipperPlacement.own());
    }

    /** With the nodes the shipper should run on. */
    public Observed withNodes(List<Node> nodes) {
      return new Observed(daemonSet, topic, statefulSet, legacyDeployment, drain, nodes, kafkaUsers,
          credentialsWaiting, externalTopic, flow, placement);
    }

    /** With what the Kafka credentials of the clients wait for. */
    public Observed withKafka(List<KafkaUser> kafkaUsers, Map<Role, String> credentialsWaiting,
        TopicDescription externalTopic) {
      return new Observed(daemonSet, topic, statefulSet, legacyDeployment, drain, nodes, kafkaUsers,
          credentialsWaiting, externalTopic, flow, placement);
    }

    /** With the data path's condition and values. */
    public Observed withFlow(FlowVerdict flow) {
      return new Observed(daemonSet, topic, statefulSet, legacyDeployment, drain, nodes, kafkaUsers,
          credentialsWaiting, externalTopic, flow, placement);
    }

    /** With where the shipper runs. */
    public Observed withPlacement(ShipperPlacement placement) {
      return new Observed(daemonSet, topic, statefulSet, legacyDeployment, drain, nodes, kafkaUsers,
          credentialsWaiting, externalTopic, flow, placement);
    }
  }

  /** Node names listed in a message before "and N more". */
  static final int NODES_NAMED = 5;

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
    if (seen.placement() != null && seen.placement().shared()) {
      conditions.addAll(SharedShipperHealth.conditions(p, seen.placement(), errors, gen));
    } else {
      ownShipper(seen, errors, gen, status, conditions);
    }
    return provisionedStages(lp, p, seen, errors, now, conditions, status, gen);
  }

  private static void ownShipper(Observed seen, StageErrors errors, long gen, LogPipelineStatus status,
      List<Condition> conditions) {
    var dsStatus = seen.daemonSet() == null ? null : seen.daemonSet().getStatus();
    int scheduledNodes = dsStatus == null ? 0 : orZero(dsStatus.getDesiredNumberScheduled());
    int readyNodes = dsStatus == null ? 0 : orZero(dsStatus.getNumberReady());
    ShipperCoverage coverage = ShipperCoverage.of(podSpec(seen.daemonSet()), seen.nodes());
    // The DaemonSet counts only the nodes it can schedule on; a node kept off by a taint should
    // run a shipper all the same.
    int desiredNodes = scheduledNodes + coverage.tainted().size();
    status.setShipper(new LogPipelineStatus.ShipperStatus(desiredNodes, readyNodes));
    status.setShippers(readyNodes + "/" + desiredNodes);
    conditions.add(errors.of(SHIPPER_READY).map(e -> failed(SHIPPER_READY, e, gen)).orElseGet(() -> {
      if (seen.daemonSet() == null) {
        return condition(SHIPPER_READY, false, "Creating", "Filebeat DaemonSet is being created", gen);
      }
      // Until the DaemonSet controller has observed this spec, its node counts mean nothing.
      boolean observed = dsStatus != null
          && Objects.equals(dsStatus.getObservedGeneration(), seen.daemonSet().getMetadata().getGeneration());
      boolean rolledOut = observed && orZero(dsStatus.getUpdatedNumberScheduled()) == scheduledNodes;
      if (!coverage.complete()) {
        return condition(SHIPPER_READY, false,
            coverage.tainted().isEmpty() ? "LogsNotMounted" : "NodesTainted",
            readyNodes + "/" + desiredNodes + " nodes; " + uncovered(coverage), gen);
      }
      if (scheduledNodes == 0 && !observed) {
        return condition(SHIPPER_READY, false, "NodesNotReady",
            "waiting for the DaemonSet controller to schedule Filebeat", gen);
      }
      if (scheduledNodes == 0) {
        return condition(SHIPPER_READY, false, "NoNodes", "0 nodes run Filebeat: check"
            + " spec.shipper.nodeSelector and spec.shipper.tolerations", gen);
      }
      if (!rolledOut) {
        return condition(SHIPPER_READY, false, ROLLING_OUT, readyNodes + "/" + desiredNodes
            + " nodes ready, " + orZero(dsStatus == null ? null : dsStatus.getUpdatedNumberScheduled())
            + " of them updated to the current spec", gen);
      }
      boolean ready = readyNodes == scheduledNodes;
      return condition(SHIPPER_READY, ready, ready ? "Ready" : "NodesNotReady",
          readyNodes + "/" + desiredNodes + " nodes", gen);
    }));
  }

  private static LogPipelineStatus provisionedStages(LogPipeline lp, Pipeline p, Observed seen,
      StageErrors errors, Instant now, List<Condition> conditions, LogPipelineStatus status, long gen) {
    // Buffer
    int partitions = p.spec().getKafka().getTopic() == null ? 6 : p.spec().getKafka().getTopic().getPartitions();
    status.setBuffer(new LogPipelineStatus.BufferStatus(p.topicName(), partitions));
    conditions.add(errors.of(BUFFER_READY).map(e -> failed(BUFFER_READY, e, gen))
        .orElseGet(() -> buffer(p, seen, gen)));

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
      // Without any status its controller has not counted it yet (a new StatefulSet): not a rollout.
      boolean rollingOut = ss != null && !rolledOut;
      String message = readyReplicas + "/" + replicas + " replicas"
          + (rollingOut ? " ready, " + orZero(ss.getUpdatedReplicas()) + " of them updated to the current spec" : "");
      if (replicas > partitions) {
        message += "; " + (replicas - partitions) + " of them idle: the topic has only "
            + partitions + " partitions (raise spec.kafka.topic.partitions or lower spec.indexer.replicas)";
      }
      return condition(INDEXER_READY, ready, ready ? "Ready" : rollingOut ? ROLLING_OUT : "ReplicasNotReady",
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

    // Flowing is about the data, not the objects: it is left out of Ready and of the phase.
    FlowVerdict flow = seen.flow();
    if (flow != null) {
      conditions.add(new ConditionBuilder().withType(FLOWING).withStatus(flow.status())
          .withReason(flow.reason()).withMessage(flow.message()).withObservedGeneration(gen).build());
      status.setFlow(flow.flow());
    }

    Phase previous = lp.getStatus() == null ? null : lp.getStatus().getPhase();
    // A changed spec rolling out is progress, not a failure: the previous pods keep running.
    boolean onlyRollingOut = conditions.stream().filter(c -> notReady.contains(c.getType()))
        .allMatch(c -> ROLLING_OUT.equals(c.getReason()));
    // Only a workload that ran a previous spec rolls out (a new one starts on the current spec),
    // so a pipeline that was rolling out was running: a failure now degrades it.
    boolean wasRunning = previous == Phase.Ready || previous == Phase.Degraded
        || (previous == Phase.Progressing && lp.getStatus().getConditions() != null
            && lp.getStatus().getConditions().stream().anyMatch(c -> ROLLING_OUT.equals(c.getReason())));
    Phase phase;
    if (notReady.isEmpty()) {
      phase = Phase.Ready;
    } else if (errors.byCondition().isEmpty() && onlyRollingOut) {
      phase = Phase.Progressing;
    } else if (!errors.byCondition().isEmpty() || wasRunning) {
      phase = Phase.Degraded;
    } else {
      phase = Phase.Progressing;
    }
    return finish(lp, status, conditions, phase, now);
  }

  /**
   * BufferReady: the topic (Strimzi's KafkaTopic Ready, or the external topic as the operator
   * made it), then the KafkaUsers Strimzi's User Operator makes Ready, then the copies of their
   * credentials. The first that is not there yet says what the buffer waits for.
   */
  private static Condition buffer(Pipeline p, Observed seen, long gen) {
    String topicMessage;
    if (!KafkaSecurity.strimzi(p)) {
      if (seen.externalTopic() == null) {
        return condition(BUFFER_READY, false, "Creating", "topic " + p.topicName() + " is being created", gen);
      }
      topicMessage = "topic " + p.topicName() + ": " + seen.externalTopic().partitions()
          + " partitions, replication factor " + seen.externalTopic().replicationFactor();
    } else {
      if (seen.topic() == null) {
        return condition(BUFFER_READY, false, "Creating", "KafkaTopic is being created", gen);
      }
      Optional<Condition> strimzi = readyCondition(seen.topic().getStatus() == null
          ? null : seen.topic().getStatus().getConditions());
      if (strimzi.isEmpty()) {
        return condition(BUFFER_READY, false, "WaitingForStrimzi", "topic " + p.topicName()
            + " not yet reconciled by the Strimzi Topic Operator of Kafka cluster "
            + p.spec().getKafka().getCluster() + " in namespace " + p.kafkaNamespace(), gen);
      }
      if (!"True".equals(strimzi.get().getStatus())) {
        return condition(BUFFER_READY, false,
            Objects.requireNonNullElse(strimzi.get().getReason(), "TopicNotReady"),
            "Strimzi reports topic " + p.topicName() + " not ready: "
                + Objects.requireNonNullElse(strimzi.get().getMessage(), "no message"), gen);
      }
      topicMessage = "topic " + p.topicName() + " Ready in Strimzi";
    }
    if (KafkaUserModel.enabled(p)) {
      for (Role role : Role.values()) {
        if (!ownUser(seen, role)) {
          continue;
        }
        String name = KafkaSecurity.userName(p, role);
        Optional<KafkaUser> user = seen.kafkaUsers().stream()
            .filter(u -> name.equals(u.getMetadata().getName())).findFirst();
        if (user.isEmpty()) {
          return condition(BUFFER_READY, false, "Creating", "KafkaUser " + name + " is being created", gen);
        }
        Optional<Condition> ready = readyCondition(user.get().getStatus() == null
            ? null : user.get().getStatus().getConditions());
        if (ready.isEmpty()) {
          return condition(BUFFER_READY, false, "WaitingForStrimzi", "KafkaUser " + name
              + " not yet reconciled by Strimzi's User Operator of Kafka cluster "
              + p.spec().getKafka().getCluster() + " in namespace " + p.kafkaNamespace()
              + " (it runs only when the Kafka resource has entityOperator.userOperator)", gen);
        }
        if (!"True".equals(ready.get().getStatus())) {
          return condition(BUFFER_READY, false,
              Objects.requireNonNullElse(ready.get().getReason(), "KafkaUserNotReady"),
              "Strimzi reports KafkaUser " + name + " not ready: "
                  + Objects.requireNonNullElse(ready.get().getMessage(), "no message"), gen);
        }
      }
    }
    for (Role role : Role.values()) {
      String waiting = seen.credentialsWaiting().get(role);
      if (waiting != null) {
        return condition(BUFFER_READY, false, "WaitingForStrimzi", "the " + role.value()
            + "'s Kafka credentials wait for " + waiting, gen);
      }
    }
    return condition(BUFFER_READY, true, "Ready", topicMessage
        + (KafkaUserModel.enabled(p) ? "; KafkaUsers Ready" : ""), gen);
  }

  /**
   * Whether the pipeline has a KafkaUser of its own for the role: the indexer always; the
   * shipper unless a class's shared Filebeat alone ships for it (it writes as its group's user).
   */
  private static boolean ownUser(Observed seen, Role role) {
    return role == Role.INDEXER || seen.placement() == null || seen.placement().ownDaemonSet();
  }

  private static Optional<Condition> readyCondition(List<io.strimzi.api.kafka.model.common.Condition> conditions) {
    return conditions == null ? Optional.empty() : conditions.stream()
        .filter(c -> READY.equals(c.getType())).findFirst()
        .map(c -> new ConditionBuilder().withType(c.getType()).withStatus(c.getStatus())
            .withReason(c.getReason()).withMessage(c.getMessage()).build());
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
        : errors.of(BUFFER_READY).isPresent() && !KafkaSecurity.strimzi(Pipeline.forCleanup(lp))
        ? " (if the Kafka cluster is gone for good, annotate the LogPipeline with "
            + LogPipeline.SKIP_EXTERNAL_CLEANUP + "=true to finish without deleting the topic)"
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
      status.setFlow(lp.getStatus().getFlow());
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

  private static io.fabric8.kubernetes.api.model.PodSpec podSpec(DaemonSet ds) {
    return ds == null || ds.getSpec() == null || ds.getSpec().getTemplate() == null ? null
        : ds.getSpec().getTemplate().getSpec();
  }

  /** The nodes without a working shipper, named, and what to change. */
  static String uncovered(ShipperCoverage coverage) {
    List<String> parts = new ArrayList<>();
    if (!coverage.tainted().isEmpty()) {
      parts.add("no Filebeat on " + named(coverage.tainted().stream()
          .map(n -> n.name() + " (taint " + n.taints().stream().map(ShipperCoverage::describe)
              .collect(Collectors.joining(", ")) + ")").toList())
          + ": tolerate the taint in spec.shipper.tolerations (absent tolerates every taint)");
    }
    if (!coverage.unreadable().isEmpty()) {
      parts.add("Filebeat cannot read the logs of " + named(coverage.unreadable().stream()
          .map(n -> n.name() + " (" + n.runtime() + ")").toList())
          + ": Docker keeps them under " + ShipperModel.DOCKER_CONTAINERS
          + "; set spec.shipper.containerRuntime: docker");
    }
    return String.join("; ", parts);
  }

  private static String named(List<String> nodes) {
    String shown = String.join(", ", nodes.subList(0, Math.min(NODES_NAMED, nodes.size())));
    return nodes.size() <= NODES_NAMED ? shown : shown + " and " + (nodes.size() - NODES_NAMED) + " more";
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
