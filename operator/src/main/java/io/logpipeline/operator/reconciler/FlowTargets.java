package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.health.FlowTarget;
import io.logpipeline.operator.kafka.KafkaConnection;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.Pipeline;

/**
 * The flow observer's view of a pipeline, built at its reconcile: the connections to its Kafka and
 * search clusters, with credentials read from the Secrets now (a poll reads no Secret).
 */
final class FlowTargets {

  private FlowTargets() {}

  static FlowTarget of(Pipeline p, Context<LogPipeline> context) {
    KafkaConnection kafka = null;
    String problem = null;
    try {
      kafka = kafkaConnection(p, context);
    } catch (StageException e) {
      problem = e.getMessage();
    }
    if (kafka == null && problem == null) {
      problem = "the operator has no Kafka user on Strimzi cluster " + p.spec().getKafka().getCluster()
          + " with " + KafkaSecurity.authentication(p).value() + " authentication";
    }
    return FlowTarget.of(p, kafka, problem, IndexTemplateDependent.connection(p, context));
  }

  /**
   * External Kafka: the operator's own credentials (spec.kafka.adminSecret). Strimzi without
   * authentication: the listener, with the cluster CA for TLS. Strimzi with authentication: none
   * yet (null).
   */
  private static KafkaConnection kafkaConnection(Pipeline p, Context<LogPipeline> context) {
    if (!KafkaSecurity.strimzi(p)) {
      return KafkaCredentialSources.adminConnection(context.getClient(), p);
    }
    if (KafkaSecurity.authentication(p) != KafkaAuthenticationType.NONE) {
      return null;
    }
    String ca = null;
    String caName = KafkaSecurity.caSecretName(p);
    if (caName != null) {
      Secret secret = context.getClient().secrets().inNamespace(p.kafkaNamespace()).withName(caName).get();
      ca = KafkaCredentialSources.value(secret, KafkaSecurity.caSecretKey(p));
      if (ca == null) {
        throw new StageException("SecretNotFound", "cannot reach Kafka: the CA in Secret "
            + p.kafkaNamespace() + "/" + caName + " is missing");
      }
    }
    return new KafkaConnection(p.bootstrapServers(), KafkaSecurity.protocol(p), null, null, ca, null, null);
  }
}
