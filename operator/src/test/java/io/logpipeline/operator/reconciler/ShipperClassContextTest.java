package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SharedShipperModel;
import io.logpipeline.operator.model.ShipperAdmission;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * What the ShipperClass reconciler hands the shared shippers' dependents, and the objects each
 * renders from it: per running group, filebeat.yml (kept as it runs while none of the group's
 * pipelines is valid), the inputs, the DaemonSet and its access.
 */
class ShipperClassContextTest {

  static final ShipperClass CLS = ShipperClassesTest.shipperClass("default", true);
  static final Pipeline APP = ReconcilerFixtures.pipeline(spec -> spec.getKafka().setNamespace("kafka"));

  /** Group "live" runs APP; group "stale" runs only pipelines that are invalid now. */
  static ShipperClassContext shared(Map<String, ConfigMap> actual) {
    ShipperAdmission.Plan plan = new ShipperAdmission.Plan(new ShipperClassStatus(),
        Map.of("live", Map.of("team-a.app.yml", "input of app"), "stale", Map.of("team-b.app.yml", "last good")),
        Map.of("live", List.of(APP)), Map.of(), Optional.empty());
    return new ShipperClassContext(CLS, "logging", plan, actual, Map.of(), Map.of());
  }

  static ConfigMap running(String name) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace("logging").endMetadata()
        .withData(Map.of("filebeat.yml", "as it runs")).build();
  }

  static SharedShipperModel.Group group(ShipperClassContext shared, String name) {
    return shared.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyGroupWithInputsRunsWithItsValidPipelines() {
    ShipperClassContext shared = shared(Map.of());
    assertThat(shared.groups()).extracting(SharedShipperModel.Group::name).containsExactlyInAnyOrder("live", "stale");
    assertThat(group(shared, "live").pipelines()).containsExactly(APP);
    assertThat(group(shared, "live").namespace()).isEqualTo("logging");
    assertThat(group(shared, "live").shipperClass()).isSameAs(CLS);
    assertThat(group(shared, "stale").pipelines()).isEmpty();
  }

  @Test
  void aGroupWithoutAValidPipelineKeepsTheFilebeatYmlThatRuns() {
    ShipperClassContext shared = shared(Map.of("stale", running("stale"), "live", running("live")));
    assertThat(shared.config(group(shared, "stale")).getData()).containsExactly(Map.entry("filebeat.yml", "as it runs"));
    assertThat(shared.config(group(shared, "live"))).isEqualTo(SharedShipperModel.configMap(group(shared, "live")));
    // Nothing runs: nothing to keep, nothing to render.
    ShipperClassContext none = shared(Map.of());
    assertThat(none.config(group(none, "stale"))).isNull();
  }

  @Test
  void theContextIsHandedOverThroughTheWorkflowContext() {
    Context<ShipperClass> context = ReconcilerFixtures.context(null);
    ShipperClassContext shared = shared(Map.of());
    ShipperClassContext.put(context, shared);
    assertThat(ShipperClassContext.of(context)).isSameAs(shared);
  }

  static <R extends HasMetadata> Map<ResourceID, R> desired(SharedShipperDependent<R> dependent, ShipperClassContext shared) {
    Context<ShipperClass> context = ReconcilerFixtures.context(null);
    ShipperClassContext.put(context, shared);
    return dependent.desiredResources(CLS, context);
  }

  static List<String> names(Map<ResourceID, ? extends HasMetadata> desired) {
    desired.forEach((id, r) -> assertThat(id).isEqualTo(ResourceID.fromResource(r)));
    return desired.values().stream().map(r -> r.getMetadata().getName()).toList();
  }

  @Test
  void theConfigMapsAreEachGroupsFilebeatYmlAndInputs() {
    Map<ResourceID, ConfigMap> desired = desired(new SharedShipperConfigMapsDependent(), shared(Map.of("stale", running("stale"))));
    assertThat(names(desired)).containsExactlyInAnyOrder("live", "live-inputs", "stale", "stale-inputs");
    ConfigMap inputs = desired.values().stream().filter(c -> c.getMetadata().getName().equals("live-inputs")).findFirst().orElseThrow();
    assertThat(inputs.getData()).containsExactly(Map.entry("team-a.app.yml", "input of app"));

    // Without what runs, a group of invalid pipelines keeps its inputs only.
    assertThat(names(desired(new SharedShipperConfigMapsDependent(), shared(Map.of()))))
        .containsExactlyInAnyOrder("live", "live-inputs", "stale-inputs");
  }

  @Test
  void aDaemonSetRunsWhereAFilebeatYmlIs() {
    Map<ResourceID, DaemonSet> desired = desired(new SharedShipperDaemonSetDependent(), shared(Map.of()));
    assertThat(names(desired)).containsExactly("live");
    assertThat(desired.values().iterator().next()).isEqualTo(SharedShipperModel.daemonSet(
        group(shared(Map.of()), "live"), SharedShipperModel.configMap(group(shared(Map.of()), "live"))));
    assertThat(names(desired(new SharedShipperDaemonSetDependent(), shared(Map.of("stale", running("stale"))))))
        .containsExactlyInAnyOrder("live", "stale");
  }

  @Test
  void eachGroupHasItsAccessObjects() {
    ShipperClassContext shared = shared(Map.of());
    Map<ResourceID, ServiceAccount> accounts = desired(new SharedShipperServiceAccountDependent(), shared);
    assertThat(accounts.values()).containsExactlyInAnyOrderElementsOf(shared.groups().stream()
        .map(SharedShipperModel::serviceAccount).toList());
    Map<ResourceID, ClusterRole> roles = desired(new SharedShipperClusterRoleDependent(), shared);
    assertThat(roles.values()).containsExactlyInAnyOrderElementsOf(shared.groups().stream()
        .map(SharedShipperModel::clusterRole).toList());
    Map<ResourceID, ClusterRoleBinding> bindings = desired(new SharedShipperClusterRoleBindingDependent(), shared);
    assertThat(bindings.values()).containsExactlyInAnyOrderElementsOf(shared.groups().stream()
        .map(SharedShipperModel::clusterRoleBinding).toList());
    assertThat(bindings).hasSize(2);
  }

  @Test
  void theConfigMapsMatchOnlyWithExactlyTheSameDataAndTheirLabels() {
    SharedShipperConfigMapsDependent dependent = new SharedShipperConfigMapsDependent();
    ConfigMap desired = SharedShipperModel.inputsConfigMap(group(shared(Map.of()), "live"),
        Map.of("team-a.app.yml", "input of app"));
    ConfigMap same = new ConfigMapBuilder(desired).editMetadata().addToLabels("extra", "kept").endMetadata().build();
    assertThat(dependent.match(same, desired, CLS, null).matched()).isTrue();

    ConfigMap oneMore = new ConfigMapBuilder(desired).addToData("team-b.app.yml", "taken out").build();
    assertThat(dependent.match(oneMore, desired, CLS, null).matched()).isFalse();
    ConfigMap unlabelled = new ConfigMapBuilder(desired).editMetadata().withLabels(null).endMetadata().build();
    assertThat(dependent.match(unlabelled, desired, CLS, null).matched()).isFalse();
    ConfigMap relabelled = new ConfigMapBuilder(desired).editMetadata()
        .addToLabels(SharedShipperModel.LABEL_SHIPPER_CLASS, "other").endMetadata().build();
    assertThat(dependent.match(relabelled, desired, CLS, null).matched()).isFalse();

    ConfigMap emptyDesired = new ConfigMapBuilder(desired).withData(null).build();
    ConfigMap emptyActual = new ConfigMapBuilder(desired).withData(Map.of()).build();
    assertThat(dependent.match(emptyActual, emptyDesired, CLS, null).matched()).isTrue();
    assertThat(dependent.match(emptyDesired, emptyActual, CLS, null).matched()).isTrue();
    assertThat(dependent.match(emptyDesired, desired, CLS, null).matched()).isFalse();
  }
}
