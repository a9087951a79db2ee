package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.model.ShipperAdmission;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ShipperReady and ShipperConfigured of a pipeline in a shared Filebeat, from the class's record. */
class SharedShipperHealthTest {

  static final PipelineHealth.StageErrors NONE = new PipelineHealth.StageErrors(Map.of());
  /** A pipeline on Strimzi without authentication: it shares the group's Filebeat. */
  static final io.logpipeline.operator.model.Pipeline APP = ReconcilerFixtures.pipeline(spec -> { });

  static ShipperPlacement placement(String shipper, String state) {
    ShipperClass cls = ShipperClassesTest.shipperClass("fast", false);
    cls.getSpec().setMaxPipelines(7);
    cls.getSpec().setMaxConfigBytes(4096);
    var member = state == null ? null : new ShipperClassStatus.Member("team-a/app", state, "2026-01-01T00:00:00Z");
    var group = new ShipperClassStatus.Group("lp-shipper-fast-1", "b:9092",
        member == null ? List.of() : List.of(member), shipper);
    return new ShipperPlacement(cls, group, member, true, false, null);
  }

  static Condition ready(ShipperPlacement placement) {
    return SharedShipperHealth.conditions(APP, placement, NONE, 3).get(0);
  }

  static Condition configured(ShipperPlacement placement) {
    return SharedShipperHealth.conditions(APP, placement, NONE, 3).get(1);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      Ready         | True  | Ready         | shared Filebeat lp-shipper-fast-1 of ShipperClass fast is ready on every node
      RollingOut    | False | RollingOut    | shared Filebeat lp-shipper-fast-1 of ShipperClass fast is rolling out
      NoNodes       | False | NoNodes       | shared Filebeat lp-shipper-fast-1 of ShipperClass fast runs on 0 nodes: check the class's nodeSelector and tolerations
      NodesNotReady | False | NodesNotReady | shared Filebeat lp-shipper-fast-1 of ShipperClass fast is not ready on every node (kubectl get daemonset lp-shipper-fast-1 in the operator's namespace)
      Creating      | False | Creating      | the shared Filebeat of ShipperClass fast is being created
      """)
  void shipperReadyFollowsTheGroupsDaemonSet(String shipper, String status, String reason, String message) {
    Condition ready = ready(placement(shipper, ShipperAdmission.CONFIGURED));
    assertThat(ready.getType()).isEqualTo(PipelineHealth.SHIPPER_READY);
    assertThat(ready.getStatus()).isEqualTo(status);
    assertThat(ready.getReason()).isEqualTo(reason);
    assertThat(ready.getMessage()).isEqualTo(message);
    assertThat(ready.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void withoutAGroupOrItsStateTheSharedShipperIsBeingCreated() {
    ShipperPlacement noGroup = new ShipperPlacement(ShipperClassesTest.shipperClass("fast", false), null, null,
        true, true, null);
    assertThat(ready(noGroup).getReason()).isEqualTo("Creating");
    assertThat(ready(placement(null, ShipperAdmission.CONFIGURED)).getReason()).isEqualTo("Creating");
    Condition admitting = configured(noGroup);
    assertThat(admitting.getStatus()).isEqualTo("False");
    assertThat(admitting.getReason()).isEqualTo("Admitting");
    assertThat(admitting.getMessage()).isEqualTo("waiting for ShipperClass fast to admit this pipeline");
  }

  @Test
  void aStageErrorOverridesTheRecord() {
    var errors = new PipelineHealth.StageErrors(Map.of(PipelineHealth.SHIPPER_READY,
        new StageException("Conflict", "ConfigMap x exists")));
    Condition ready = SharedShipperHealth.conditions(APP, placement("Ready", ShipperAdmission.CONFIGURED), errors, 3).get(0);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("Conflict");
    assertThat(ready.getMessage()).isEqualTo("ConfigMap x exists");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      Configured           | True  | Configured           | this pipeline's input is loaded in shared Filebeat lp-shipper-fast-1 (ShipperClass fast)
      WaitingForTopic      | False | WaitingForTopic      | the input is added once the topic is Ready (BufferReady): the shared Filebeat has one queue for all its pipelines, which a missing topic would stall
      Reconfiguring        | False | Reconfiguring        | the changed input is added again once Filebeat has stopped the previous one (taken out at 2026-01-01T00:00:00Z)
      Removing             | False | Removing             | the input is being taken out of shared Filebeat lp-shipper-fast-1
      MaxPipelinesExceeded | False | MaxPipelinesExceeded | ShipperClass fast serves at most 7 pipelines per shared Filebeat and never evicts an admitted one: raise the class's spec.maxPipelines, or name another class in spec.shipper.className
      ConfigTooLarge       | False | ConfigTooLarge       | this pipeline's input would take the inputs of shared Filebeat lp-shipper-fast-1 beyond 4096 bytes (ShipperClass fast spec.maxConfigBytes): raise it, or name another class in spec.shipper.className
      KafkaCredentialsNotShared | False | KafkaCredentialsNotShared | ShipperClass fast did not admit this pipeline: KafkaCredentialsNotShared
      """)
  void shipperConfiguredFollowsThePipelinesPlaceInTheRecord(String state, String status, String reason, String message) {
    Condition configured = configured(placement("Ready", state));
    assertThat(configured.getType()).isEqualTo(PipelineHealth.SHIPPER_CONFIGURED);
    assertThat(configured.getStatus()).isEqualTo(status);
    assertThat(configured.getReason()).isEqualTo(reason);
    assertThat(configured.getMessage()).isEqualTo(message);
    assertThat(configured.getObservedGeneration()).isEqualTo(3L);
  }

  @Test
  void theReasonsOfTheNormalCourseRaiseNoWarning() {
    assertThat(SharedShipperHealth.IN_COURSE).containsExactlyInAnyOrder("Admitting", "WaitingForTopic",
        "WaitingForKafkaUser", "Reconfiguring", "Removing");
  }
}
