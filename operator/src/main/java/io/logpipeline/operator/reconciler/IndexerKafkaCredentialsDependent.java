package io.logpipeline.operator.reconciler;

import io.logpipeline.operator.model.KafkaSecurity.Role;

/** The indexer's (Logstash's) Kafka credentials, copied into the pipeline's namespace. */
public class IndexerKafkaCredentialsDependent extends KafkaCredentialsDependent {

  public IndexerKafkaCredentialsDependent() {
    super(Role.INDEXER);
  }
}
