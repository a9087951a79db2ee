package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.model.KafkaUserModel;
import io.logpipeline.operator.model.ShipperAdmission;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.logpipeline.operator.model.SharedShipperModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the ShipperClass reconciler hands its dependents: the admission plan of this reconcile
 * and where the shared shippers run. Each dependent renders its objects for every running group
 * from it, through {@link SharedShipperModel}; the credentials' copies record their versions
 * here for the DaemonSets.
 */
record ShipperClassContext(ShipperClass shipperClass, String namespace, ShipperAdmission.Plan plan,
    Map<String, ConfigMap> actualConfigs, Map<String, KafkaUser> actualUsers, Map<String, DaemonSet> actualDaemonSets,
    Map<String, String> secretVersions) {

  ShipperClassContext(ShipperClass shipperClass, String namespace, ShipperAdmission.Plan plan,
      Map<String, ConfigMap> actualConfigs, Map<String, KafkaUser> actualUsers, Map<String, DaemonSet> actualDaemonSets) {
    this(shipperClass, namespace, plan, actualConfigs, actualUsers, actualDaemonSets, new ConcurrentHashMap<>());
  }

  static void put(Context<ShipperClass> context, ShipperClassContext value) {
    context.managedWorkflowAndDependentResourceContext().put(ShipperClassContext.class, value);
  }

  static ShipperClassContext of(Context<ShipperClass> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(ShipperClassContext.class, ShipperClassContext.class);
  }

  /** The Secrets the groups' DaemonSets mount as they run: the copies of their Kafka credentials. */
  Set<String> mountedSecrets() {
    Set<String> names = new java.util.HashSet<>();
    actualDaemonSets.values().forEach(ds -> ds.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getSecret() != null)
        .forEach(v -> names.add(v.getSecret().getSecretName())));
    return names;
  }

  /** The groups that run, each with the pipelines its filebeat.yml is built from. */
  List<SharedShipperModel.Group> groups() {
    List<SharedShipperModel.Group> groups = new ArrayList<>();
    plan.inputs().keySet().forEach(name -> groups.add(new SharedShipperModel.Group(shipperClass, namespace,
        name, plan.pipelines().getOrDefault(name, List.of()))));
    return groups;
  }

  /**
   * The group's filebeat.yml: rendered from its pipelines, or, while none of them is valid, the
   * one that runs (an invalid pipeline changes nothing that runs).
   */
  ConfigMap config(SharedShipperModel.Group g) {
    if (g.pipelines().isEmpty() && actualConfigs.containsKey(g.name())) {
      ConfigMap actual = actualConfigs.get(g.name());
      return SharedShipperModel.configMapWithData(g, actual.getData());
    }
    return g.pipelines().isEmpty() ? null : SharedShipperModel.configMap(g);
  }

  /**
   * The group's DaemonSet, rendered from its filebeat.yml, or, while none of its pipelines is
   * valid, the one that runs (its credentials mount included).
   */
  DaemonSet daemonSet(SharedShipperModel.Group g) {
    if (g.pipelines().isEmpty() && actualDaemonSets.containsKey(g.name())) {
      return actualDaemonSets.get(g.name());
    }
    ConfigMap config = config(g);
    return config == null ? null : SharedShipperModel.daemonSet(g, config, secretVersions.get(g.name()));
  }

  /**
   * The group's KafkaUser, if it has one: its ACLs name the topics the plan grants, or, while
   * none of its pipelines is valid, it stays as it is.
   */
  KafkaUser kafkaUser(SharedShipperModel.Group g) {
    Set<String> topics = plan.acls().get(g.name());
    if (topics == null) {
      return null;
    }
    if (g.pipelines().isEmpty()) {
      return actualUsers.get(g.name());
    }
    return KafkaUserModel.sharedShipperUser(g, topics);
  }
}
