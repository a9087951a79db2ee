package io.logpipeline.operator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything one pipeline provisions, in pipeline order, from the same functions the
 * reconciler's dependents apply; the lifecycle policy (null without a lifecycle) goes to the
 * search cluster before the index template that refers to it; the dead-letter template is null
 * with dead letters turned off. At apply time the operator adds only bookkeeping metadata:
 * owner references (or, outside the pipeline's namespace, owner annotations) and, with Kafka
 * credentials, the copied Secrets (their contents come from the cluster) and their version on
 * the pod templates. An external Kafka's topic is made through Kafka's API, so it is not listed.
 */
public record Render(Pipeline pipeline, List<HasMetadata> objects, ObjectNode lifecyclePolicy,
    ObjectNode indexTemplate, ObjectNode deadLetterTemplate) {

  public static Render of(Pipeline p) {
    return of(p, true, null);
  }

  /**
   * As {@link #of(Pipeline)} for a pipeline of a ShipperClass: without its own Filebeat objects
   * when its class's shared shipper carries its input ({@link #sharedShipper}), else with them,
   * reading {@code shipperPaths} (null: its sources' paths) as the class confines it.
   */
  public static Render of(Pipeline p, boolean ownShipper, List<String> shipperPaths) {
    List<HasMetadata> objects = new ArrayList<>();
    if (ownShipper) {
      // Each ConfigMap is built once, and its pods' config hash taken from it.
      ConfigMap shipperConfig = ShipperModel.configMap(p, shipperPaths);
      objects.addAll(List.of(
          shipperConfig,
          ShipperModel.serviceAccount(p),
          ShipperModel.clusterRole(p),
          ShipperModel.clusterRoleBinding(p),
          ShipperModel.daemonSet(p, shipperConfig)));
    }
    ConfigMap indexerConfig = IndexerModel.configMap(p);
    if (KafkaSecurity.strimzi(p)) {
      objects.add(BufferModel.kafkaTopic(p));
    }
    if (KafkaUserModel.enabled(p)) {
      if (ownShipper) {
        objects.add(KafkaUserModel.kafkaUser(p, KafkaSecurity.Role.SHIPPER));
      }
      objects.add(KafkaUserModel.kafkaUser(p, KafkaSecurity.Role.INDEXER));
    }
    objects.add(indexerConfig);
    objects.add(IndexerModel.statefulSet(p, indexerConfig));
    objects.add(IndexerModel.service(p));
    objects.add(IndexerModel.disruptionBudget(p));
    return new Render(p, List.copyOf(objects), LifecyclePolicyModel.body(p), IndexTemplateModel.body(p),
        IndexerModel.indexesDeadLetters(p) ? IndexTemplateModel.deadLetterBody(p) : null);
  }

  /**
   * The objects of one group of a ShipperClass's shared shippers, in the order the class's
   * reconciler applies them: filebeat.yml, the input files ({@code inputs}, key to file), the
   * ServiceAccount, its read access, the group's KafkaUser (with Strimzi and authentication,
   * its ACLs naming {@code topics}; else null), and the DaemonSet. The copy of the user's
   * credentials comes from the cluster, so it is not listed.
   */
  public static List<HasMetadata> sharedShipper(SharedShipperModel.Group g, Map<String, String> inputs,
      java.util.Set<String> topics) {
    ConfigMap config = SharedShipperModel.configMap(g);
    List<HasMetadata> objects = new ArrayList<>(List.of(
        config,
        SharedShipperModel.inputsConfigMap(g, inputs),
        SharedShipperModel.serviceAccount(g),
        SharedShipperModel.clusterRole(g),
        SharedShipperModel.clusterRoleBinding(g)));
    if (topics != null) {
      objects.add(KafkaUserModel.sharedShipperUser(g, topics));
    }
    objects.add(SharedShipperModel.daemonSet(g, config));
    return List.copyOf(objects);
  }
}
