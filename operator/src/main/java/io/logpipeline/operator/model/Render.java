package io.logpipeline.operator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;

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
    // Each ConfigMap is built once, and its pods' config hash taken from it.
    ConfigMap shipperConfig = ShipperModel.configMap(p);
    ConfigMap indexerConfig = IndexerModel.configMap(p);
    List<HasMetadata> objects = new ArrayList<>(List.of(
        shipperConfig,
        ShipperModel.serviceAccount(p),
        ShipperModel.clusterRole(p),
        ShipperModel.clusterRoleBinding(p),
        ShipperModel.daemonSet(p, shipperConfig)));
    if (KafkaSecurity.strimzi(p)) {
      objects.add(BufferModel.kafkaTopic(p));
    }
    if (KafkaUserModel.enabled(p)) {
      objects.add(KafkaUserModel.kafkaUser(p, KafkaSecurity.Role.SHIPPER));
      objects.add(KafkaUserModel.kafkaUser(p, KafkaSecurity.Role.INDEXER));
    }
    objects.add(indexerConfig);
    objects.add(IndexerModel.statefulSet(p, indexerConfig));
    objects.add(IndexerModel.service(p));
    objects.add(IndexerModel.disruptionBudget(p));
    return new Render(p, List.copyOf(objects), LifecyclePolicyModel.body(p), IndexTemplateModel.body(p),
        IndexerModel.indexesDeadLetters(p) ? IndexTemplateModel.deadLetterBody(p) : null);
  }
}
