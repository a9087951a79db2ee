package io.logpipeline.operator.reconciler;

import io.logpipeline.operator.model.KafkaSecurity.Role;

/** The shipper's (Filebeat's) Kafka credentials, copied into the pipeline's namespace. */
public class ShipperKafkaCredentialsDependent extends KafkaCredentialsDependent {

  public ShipperKafkaCredentialsDependent() {
    super(Role.SHIPPER);
  }
}
