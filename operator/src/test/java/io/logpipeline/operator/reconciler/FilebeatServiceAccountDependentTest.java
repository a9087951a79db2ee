package io.logpipeline.operator.reconciler;

import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.LP;
import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.P;
import static io.logpipeline.operator.reconciler.FilebeatDaemonSetDependentTest.context;
import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.model.ShipperModel;

import org.junit.jupiter.api.Test;

/** The own Filebeat's ServiceAccount. */
class FilebeatServiceAccountDependentTest {

  @Test
  void theServiceAccountIsTheModels() {
    assertThat(new FilebeatServiceAccountDependent().desired(LP, context(null, null)))
        .isEqualTo(ShipperModel.serviceAccount(P)).isNotNull();
  }
}
