package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The pipeline's own Filebeat DaemonSet: its config's hash, the paths its class allows, its Secret's version. */
class FilebeatDaemonSetDependentTest {

  static final LogPipeline LP = ReconcilerFixtures.logPipeline(spec -> { });
  static final Pipeline P = ReconcilerFixtures.pipeline(LP);

  /** A reconcile's context: the pipeline, what the Kafka dependents saw, and the placement. */
  static Context<LogPipeline> context(ShipperPlacement placement, String secretVersion) {
    Context<LogPipeline> context = ReconcilerFixtures.context(null);
    KafkaObservations kafka = new KafkaObservations();
    if (secretVersion != null) {
      kafka.secretVersion(Role.SHIPPER, secretVersion);
    }
    ReconcilerFixtures.workflow(context).put(Pipeline.class, P);
    ReconcilerFixtures.workflow(context).put(KafkaObservations.class, kafka);
    if (placement != null) {
      ShipperPlacement.put(context, placement);
    }
    return context;
  }

  @Test
  void theDaemonSetIsTheModelsWithTheCopiedSecretsVersion() {
    DaemonSet desired = new FilebeatDaemonSetDependent().desired(LP, context(null, "42"));
    DaemonSet expected = ShipperModel.daemonSet(P, ShipperModel.configMap(P, null));
    KafkaSecurity.secretVersion(expected.getSpec().getTemplate(), "42");
    assertThat(desired).isEqualTo(expected);
    // A rotated copy rolls the pods.
    DaemonSet rotated = new FilebeatDaemonSetDependent().desired(LP, context(null, "43"));
    assertThat(rotated.getSpec().getTemplate().getMetadata().getAnnotations().get(KafkaSecurity.SECRET_VERSION_ANNOTATION))
        .isNotNull()
        .isNotEqualTo(desired.getSpec().getTemplate().getMetadata().getAnnotations().get(KafkaSecurity.SECRET_VERSION_ANNOTATION));
  }

  @Test
  void aClassConfinesWhatTheOwnFilebeatReads() {
    List<String> paths = List.of("/var/log/containers/*_team-a_*.log");
    ShipperPlacement confined = new ShipperPlacement(ShipperClassesTest.shipperClass("fast", false), null, null,
        false, true, paths);
    DaemonSet desired = new FilebeatDaemonSetDependent().desired(LP, context(confined, null));
    assertThat(desired).isEqualTo(ShipperModel.daemonSet(P, ShipperModel.configMap(P, paths)));
    assertThat(desired).isNotEqualTo(ShipperModel.daemonSet(P, ShipperModel.configMap(P, null)));
  }
}
