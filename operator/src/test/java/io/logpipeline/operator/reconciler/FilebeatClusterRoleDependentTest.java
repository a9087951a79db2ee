package io.logpipeline.operator.reconciler;

import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.LP;
import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.P;
import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.model.ShipperModel;

import org.junit.jupiter.api.Test;

/** The own Filebeat's cluster-wide read access. */
class FilebeatClusterRoleDependentTest {

  @Test
  void theClusterRoleIsTheModels() {
    assertThat(new FilebeatClusterRoleDependent().desired(LP, context(null, null)))
        .isEqualTo(ShipperModel.clusterRole(P)).isNotNull();
  }
}
