package io.logpipeline.operator.reconciler;

/**
 * Label selectors of the informers: each watches only the objects this operator made for one
 * stage, so the caches hold nothing else of the cluster.
 */
final class Selectors {
  static final String MANAGED = "app.kubernetes.io/managed-by=logpipeline-operator";
  /**
   * Shipper objects. The shared shippers of ShipperClasses match too, and map to no pipeline:
   * their owner is the class (owner references of another kind, no primary annotations).
   */
  static final String SHIPPER = MANAGED + ",app.kubernetes.io/component=shipper";
  /** The shared shippers' objects, which only the ShipperClass reconciler watches. */
  static final String SHARED_SHIPPER = MANAGED + ",app.kubernetes.io/component=shipper,logpipeline.io/shipper-class";
  static final String BUFFER = MANAGED + ",app.kubernetes.io/component=buffer";
  static final String INDEXER = MANAGED + ",app.kubernetes.io/component=indexer";
  static final String SHIPPER_KAFKA_USER = BUFFER + ",logpipeline.io/kafka-user=shipper";
  static final String INDEXER_KAFKA_USER = BUFFER + ",logpipeline.io/kafka-user=indexer";

  private Selectors() {}
}
