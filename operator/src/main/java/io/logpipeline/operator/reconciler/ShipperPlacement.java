package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SharedShipperModel;
import io.logpipeline.operator.model.ShipperAdmission;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a LogPipeline's shipper runs: with a class, in a Filebeat of the class in the operator's
 * namespace (its input, written by the class's reconciler, never by the pipeline's): shared by
 * the group, writing as the group's KafkaUser with Strimzi and authentication, or a group of its
 * own with Kafka credentials from its namespace's Secret; without a class, in a DaemonSet of its
 * own in its namespace. While a pipeline moves to its class, its own DaemonSet (and its own
 * shipper KafkaUser and copy of credentials) keeps running until its input there is live.
 *
 * @param shipperClass the class, or null
 * @param group the pipeline's group in the class's record, or null
 * @param member the pipeline's place in it, or null
 * @param shared whether the pipeline ships through its class's shared Filebeat
 * @param ownDaemonSet whether the pipeline's own Filebeat objects are wanted
 * @param paths the files its own Filebeat reads, when a class confines it; null: its sources'
 */
public record ShipperPlacement(ShipperClass shipperClass, ShipperClassStatus.Group group,
    ShipperClassStatus.Member member, boolean shared, boolean ownDaemonSet, List<String> paths) {

  static ShipperPlacement own() {
    return new ShipperPlacement(null, null, null, false, true, null);
  }

  public static ShipperPlacement of(Pipeline p, ShipperClass cls, boolean ownDaemonSetExists) {
    if (cls == null) {
      return own();
    }
    List<String> paths = SharedShipperModel.sourcePaths(p, cls.getSpec());
    Optional<Map.Entry<ShipperClassStatus.Group, ShipperClassStatus.Member>> found =
        ShipperAdmission.find(cls.getStatus(), p.namespace() + "/" + p.name());
    ShipperClassStatus.Group group = found.map(Map.Entry::getKey).orElse(null);
    ShipperClassStatus.Member member = found.map(Map.Entry::getValue).orElse(null);
    boolean live = member != null && ShipperAdmission.CONFIGURED.equals(member.state());
    // Moving from its own DaemonSet: that keeps shipping until the shared input is live. The
    // shared input starts with no read positions, so the overlap ships some lines twice (the
    // same document ids), never none.
    return new ShipperPlacement(cls, group, member, true, ownDaemonSetExists && !live, paths);
  }

  static void put(Context<LogPipeline> context, ShipperPlacement placement) {
    context.managedWorkflowAndDependentResourceContext().put(ShipperPlacement.class, placement);
  }

  static ShipperPlacement of(Context<LogPipeline> context) {
    return context.managedWorkflowAndDependentResourceContext().get(ShipperPlacement.class, ShipperPlacement.class)
        .orElseGet(ShipperPlacement::own);
  }

  /** Reconcile precondition of the pipeline's own Filebeat objects; when false they are deleted. */
  public static final class Own implements Condition<Object, LogPipeline> {
    @Override
    public boolean isMet(DependentResource<Object, LogPipeline> dependentResource, LogPipeline primary,
        Context<LogPipeline> context) {
      return of(context).ownDaemonSet();
    }
  }
}
