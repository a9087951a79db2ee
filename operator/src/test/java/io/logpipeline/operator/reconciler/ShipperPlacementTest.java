package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.KafkaTlsSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.api.SourcesSpec;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SharedShipperModel;
import io.logpipeline.operator.model.ShipperAdmission;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Where a pipeline's shipper runs, as on main before Kafka authentication in shipper groups: its
 * own DaemonSet without a class or with Kafka security, else its class's shared Filebeat, its own
 * DaemonSet running on until the shared input is live.
 */
class ShipperPlacementTest {

  static final Pipeline PLAIN = ReconcilerFixtures.pipeline(spec -> { });

  static ShipperClass recording(String state) {
    ShipperClass cls = ShipperClassesTest.shipperClass("default", true);
    ShipperClassStatus status = new ShipperClassStatus();
    status.setGroups(List.of(new ShipperClassStatus.Group("lp-shipper-default-1", "b:9092",
        List.of(new ShipperClassStatus.Member("team-a/app", state, "2026-01-01T00:00:00Z")), "Ready")));
    cls.setStatus(status);
    return cls;
  }

  @Test
  void withoutAClassThePipelineRunsItsOwnShipperOverItsOwnSources() {
    ShipperPlacement placement = ShipperPlacement.of(PLAIN, null, false);
    assertThat(placement).isEqualTo(new ShipperPlacement(null, null, null, false, true, null));
  }

  @Test
  void kafkaSecurityNoLongerKeepsThePipelineOutOfItsClassesFilebeat() {
    Pipeline tls = ReconcilerFixtures.pipeline(spec -> spec.getKafka().setTls(new KafkaTlsSpec()));
    ShipperClass cls = recording(ShipperAdmission.CONFIGURED);

    ShipperPlacement placement = ShipperPlacement.of(tls, cls, false);

    assertThat(placement.shared()).isTrue();
    assertThat(placement.ownDaemonSet()).isFalse();
    assertThat(placement.paths()).isNotNull().isEqualTo(SharedShipperModel.sourcePaths(tls, cls.getSpec()));
  }

  @Test
  void aLiveSharedInputRetiresTheOwnDaemonSet() {
    ShipperClass cls = recording(ShipperAdmission.CONFIGURED);
    ShipperPlacement placement = ShipperPlacement.of(PLAIN, cls, true);
    assertThat(placement.shared()).isTrue();
    assertThat(placement.ownDaemonSet()).isFalse();
    assertThat(placement.group().name()).isEqualTo("lp-shipper-default-1");
    assertThat(placement.member().state()).isEqualTo(ShipperAdmission.CONFIGURED);
    assertThat(placement.shipperClass()).isSameAs(cls);
  }

  @Test
  void theOwnDaemonSetShipsOnUntilTheSharedInputIsLive() {
    ShipperClass waiting = recording(ShipperAdmission.WAITING_FOR_TOPIC);
    assertThat(ShipperPlacement.of(PLAIN, waiting, true).ownDaemonSet()).isTrue();
    // Never created again once gone.
    assertThat(ShipperPlacement.of(PLAIN, waiting, false).ownDaemonSet()).isFalse();

    ShipperClass unrecorded = ShipperClassesTest.shipperClass("default", true);
    ShipperPlacement placement = ShipperPlacement.of(PLAIN, unrecorded, true);
    assertThat(placement.shared()).isTrue();
    assertThat(placement.ownDaemonSet()).isTrue();
    assertThat(placement.group()).isNull();
    assertThat(placement.member()).isNull();
  }

  @Test
  void aClassConfinesTheSourcePathsOfAnOwnShipper() {
    Pipeline other = ReconcilerFixtures.pipeline(spec -> {
      SourcesSpec sources = new SourcesSpec();
      sources.setNamespaces(List.of("team-a"));
      spec.setSources(sources);
    });
    ShipperPlacement placement = ShipperPlacement.of(other, recording(ShipperAdmission.CONFIGURED), false);
    assertThat(placement.paths()).isNotEmpty().allSatisfy(path -> assertThat(path).contains("team-a"));
  }

  @Test
  void theOwnShipperConditionFollowsThePlacementOfThisReconcile() {
    Context<LogPipeline> context = ReconcilerFixtures.context(null);
    ShipperPlacement.Own own = new ShipperPlacement.Own();
    // Before a placement is known (cleanup): as without a class.
    assertThat(ShipperPlacement.of(context)).isEqualTo(ShipperPlacement.own());
    assertThat(own.isMet(null, null, context)).isTrue();

    ShipperPlacement.put(context, ShipperPlacement.of(PLAIN, recording(ShipperAdmission.CONFIGURED), true));
    assertThat(own.isMet(null, null, context)).isFalse();
    assertThat(ShipperPlacement.of(context).shared()).isTrue();
  }
}
