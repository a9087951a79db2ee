package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.model.KafkaSecurity.Role;

/** The indexer's KafkaUser: Read and Describe on the topic, Read on the consumer group. */
@KubernetesDependent(informer = @Informer(
    namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = Selectors.INDEXER_KAFKA_USER))
public class IndexerKafkaUserDependent extends KafkaUserDependent {

  public IndexerKafkaUserDependent() {
    super(Role.INDEXER);
  }
}
