package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.model.KafkaSecurity.Role;

/** The shipper's KafkaUser: Write and Describe on the topic. */
@KubernetesDependent(informer = @Informer(
    namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = Selectors.SHIPPER_KAFKA_USER))
public class ShipperKafkaUserDependent extends KafkaUserDependent {

  public ShipperKafkaUserDependent() {
    super(Role.SHIPPER);
  }
}
