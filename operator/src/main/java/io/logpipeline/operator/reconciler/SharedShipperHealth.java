package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.logpipeline.operator.model.ShipperAdmission;

import java.util.List;

/**
 * ShipperReady and ShipperConfigured of a pipeline in a class's shared Filebeat, from the class's
 * record alone. No node counts: they change at every node of a rollout, and a shared Filebeat
 * would then have the status of each of its pipelines written at every node.
 */
final class SharedShipperHealth {

  /** Reasons of ShipperConfigured=False that are the normal course of things: no Warning Event. */
  static final java.util.Set<String> IN_COURSE = java.util.Set.of("Admitting",
      ShipperAdmission.WAITING_FOR_TOPIC, ShipperAdmission.WAITING_FOR_KAFKA_USER, ShipperAdmission.RECONFIGURING,
      ShipperAdmission.REMOVING);

  /**
   * Reason of ShipperConfigured=True for a pipeline with Kafka credentials from its namespace:
   * configured, in a Filebeat of its own in the operator's namespace.
   */
  static final String OWN_KAFKA_CREDENTIALS = "OwnKafkaCredentials";

  private SharedShipperHealth() {}

  static List<Condition> conditions(io.logpipeline.operator.model.Pipeline p, ShipperPlacement placement,
      PipelineHealth.StageErrors errors, long gen) {
    String cls = placement.shipperClass().getMetadata().getName();
    var group = placement.group();
    var member = placement.member();
    Condition ready = errors.of(PipelineHealth.SHIPPER_READY)
        .map(e -> PipelineHealth.condition(PipelineHealth.SHIPPER_READY, false, e.reason(), e.getMessage(), gen))
        .orElseGet(() -> {
          if (group == null || group.shipper() == null || "Creating".equals(group.shipper())) {
            return PipelineHealth.condition(PipelineHealth.SHIPPER_READY, false, "Creating",
                "the shared Filebeat of ShipperClass " + cls + " is being created", gen);
          }
          String what = "shared Filebeat " + group.name() + " of ShipperClass " + cls;
          return switch (group.shipper()) {
            case "Ready" -> PipelineHealth.condition(PipelineHealth.SHIPPER_READY, true, "Ready",
                what + " is ready on every node", gen);
            case PipelineHealth.ROLLING_OUT -> PipelineHealth.condition(PipelineHealth.SHIPPER_READY, false,
                PipelineHealth.ROLLING_OUT, what + " is rolling out", gen);
            case "NoNodes" -> PipelineHealth.condition(PipelineHealth.SHIPPER_READY, false, "NoNodes",
                what + " runs on 0 nodes: check the class's nodeSelector and tolerations", gen);
            default -> PipelineHealth.condition(PipelineHealth.SHIPPER_READY, false, group.shipper(),
                what + " is not ready on every node (kubectl get daemonset " + group.name()
                    + " in the operator's namespace)", gen);
          };
        });
    return List.of(ready, configured(p, cls, group == null ? null : group.name(), member, placement, gen));
  }

  private static Condition configured(io.logpipeline.operator.model.Pipeline p, String cls, String group,
      io.logpipeline.operator.api.ShipperClassStatus.Member member, ShipperPlacement placement, long gen) {
    String type = PipelineHealth.SHIPPER_CONFIGURED;
    if (member == null) {
      return PipelineHealth.condition(type, false, "Admitting",
          "waiting for ShipperClass " + cls + " to admit this pipeline", gen);
    }
    var spec = placement.shipperClass().getSpec();
    return switch (member.state()) {
      case ShipperAdmission.CONFIGURED -> io.logpipeline.operator.model.SharedShipperModel.ownGroup(p)
          ? PipelineHealth.condition(type, true, OWN_KAFKA_CREDENTIALS, "this pipeline's input is loaded in"
              + " Filebeat " + group + " of its own in the operator's namespace (ShipperClass " + cls + "):"
              + " its Kafka credentials come from a Secret in its namespace, which a Filebeat shared with"
              + " other pipelines would use for their logs too", gen)
          : PipelineHealth.condition(type, true, "Configured",
              "this pipeline's input is loaded in shared Filebeat " + group + " (ShipperClass " + cls + ")", gen);
      case ShipperAdmission.WAITING_FOR_TOPIC -> PipelineHealth.condition(type, false, "WaitingForTopic",
          "the input is added once the topic is Ready (BufferReady): the shared Filebeat has one queue"
              + " for all its pipelines, which a missing topic would stall", gen);
      case ShipperAdmission.WAITING_FOR_KAFKA_USER -> PipelineHealth.condition(type, false,
          ShipperAdmission.WAITING_FOR_KAFKA_USER, "the input is added once KafkaUser " + group
              + " (in the Kafka namespace) may write to this pipeline's topic: Strimzi reports it Ready"
              + " with the ACL that names the topic; a refused write would stall the shared Filebeat", gen);
      case ShipperAdmission.RECONFIGURING -> PipelineHealth.condition(type, false, "Reconfiguring",
          "the changed input is added again once Filebeat has stopped the previous one (taken out at "
              + member.since() + ")", gen);
      case ShipperAdmission.REMOVING -> PipelineHealth.condition(type, false, "Removing",
          "the input is being taken out of shared Filebeat " + group, gen);
      case ShipperAdmission.MAX_PIPELINES_EXCEEDED -> PipelineHealth.condition(type, false,
          "MaxPipelinesExceeded", "ShipperClass " + cls + " serves at most " + spec.getMaxPipelines()
              + " pipelines per shared Filebeat and never evicts an admitted one: raise the class's"
              + " spec.maxPipelines, or name another class in spec.shipper.className", gen);
      case ShipperAdmission.CONFIG_TOO_LARGE -> PipelineHealth.condition(type, false, "ConfigTooLarge",
          "this pipeline's input would take the inputs of shared Filebeat " + group + " beyond "
              + spec.getMaxConfigBytes() + " bytes (ShipperClass " + cls + " spec.maxConfigBytes):"
              + " raise it, or name another class in spec.shipper.className", gen);
      default -> PipelineHealth.condition(type, false, member.state(),
          "ShipperClass " + cls + " did not admit this pipeline: " + member.state(), gen);
    };
  }
}
