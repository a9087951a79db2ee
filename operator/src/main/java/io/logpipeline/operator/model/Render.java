package io.logpipeline.operator.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;

/**
 * Everything one pipeline provisions, in pipeline order, from the same functions the
 * reconciler's dependents apply; the lifecycle policy (null without a lifecycle) goes to the
 * search cluster before the index template that refers to it; the dead-letter template is null
 * with dead letters turned off. At apply time the operator adds only bookkeeping metadata:
 * owner references (or, outside the pipeline's namespace, owner annotations).
 */
public record Render(Pipeline pipeline, List<HasMetadata> objects, ObjectNode lifecyclePolicy,
    ObjectNode indexTemplate, ObjectNode deadLetterTemplate) {

  public static Render of(Pipeline p) {
    // Each ConfigMap is built once, and its pods' config hash taken from it.
    ConfigMap shipperConfig = ShipperModel.configMap(p);
    ConfigMap indexerConfig = IndexerModel.configMap(p);
    return new Render(p, List.of(
        shipperConfig,
        ShipperModel.serviceAccount(p),
        ShipperModel.clusterRole(p),
        ShipperModel.clusterRoleBinding(p),
        ShipperModel.daemonSet(p, shipperConfig),
        BufferModel.kafkaTopic(p),
        indexerConfig,
        IndexerModel.statefulSet(p, indexerConfig),
        IndexerModel.service(p),
        IndexerModel.disruptionBudget(p)), LifecyclePolicyModel.body(p), IndexTemplateModel.body(p),
        IndexerModel.indexesDeadLetters(p) ? IndexTemplateModel.deadLetterBody(p) : null);
  }
}
