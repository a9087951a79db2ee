package io.logpipeline.operator.model.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SharedShipperModel;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Tenancy: for every valid pipeline outside its class's cluster-wide namespaces, either its
 * sources are refused (CrossNamespaceSourceDenied) or every path its shared input reads names its
 * own namespace as {@code _<namespace>_}, which in a kubelet log file name can only be the
 * namespace field.
 */
class TenancyPropertiesTest {

  @Test
  void everyPathATenantReadsContainsItsOwnNamespace() {
    ShipperClass cls = new ShipperClass();
    cls.setMetadata(new ObjectMetaBuilder().withName("default").build());
    cls.getSpec().setClusterWideNamespaces(List.of("logging-admin"));
    qt().withExamples(500).forAll(ValidLogPipelines.logPipelines())
        .checkAssert(lp -> tenantReadsOnlyItsNamespace(lp, cls));
  }

  private static void tenantReadsOnlyItsNamespace(LogPipeline lp, ShipperClass cls) {
    Pipeline p = KubernetesRules.resolve(lp);
    if (SharedShipperModel.clusterWide(cls.getSpec(), p.namespace())) {
      return;
    }
    if (!SharedShipperModel.tenancyProblems(p, cls.getSpec()).isEmpty()) {
      assertThat(lp.getSpec().getSources().getNamespaces()).anyMatch(ns -> !ns.equals(p.namespace()));
      return;
    }
    Map<String, Object> input = SharedShipperModel.input(p, cls.getSpec());
    @SuppressWarnings("unchecked")
    List<String> paths = (List<String>) input.get("paths");
    assertThat(paths).as("paths of %s/%s", p.namespace(), p.name()).isNotEmpty()
        .allSatisfy(path -> assertThat(path).contains("_" + p.namespace() + "_"));
  }
}
