package io.logpipeline.operator.reconciler;

import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.LP;
import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.P;
import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.model.ShipperModel;

import org.junit.jupiter.api.Test;

/** The binding of the own Filebeat's ClusterRole to its ServiceAccount. */
class FilebeatClusterRoleBindingDependentTest {

  @Test
  void theBindingIsTheModels() {
    assertThat(new FilebeatClusterRoleBindingDependent().desired(LP, context(null, null)))
        .isEqualTo(ShipperModel.clusterRoleBinding(P)).isNotNull();
  }
}
