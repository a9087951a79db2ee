package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.health.FlowTarget;
import io.logpipeline.operator.kafka.KafkaConnection;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;

/**
 * The flow observer's view of a pipeline, built at its reconcile: the connections to its Kafka and
 * search clusters, with credentials read from the Secrets now (a poll reads no Secret).
 *
 * <p>Pipelines on one Kafka connection share one round of lag reads. External Kafka uses the
 * operator's admin credentials and Strimzi without authentication the listener, so all pipelines
 * of such a cluster share it. Strimzi with authentication uses each pipeline's own KafkaUsers (the
 * indexer's for lag, the shipper's for the canary): a round per pipeline, see docs/flow.md.
 */
final class FlowTargets {

  private FlowTargets() {}

  static FlowTarget of(Pipeline p, Context<LogPipeline> context) {
    KafkaConnection kafka = null;
    KafkaConnection canary = null;
    String problem = null;
    try {
      if (KafkaSecurity.strimzi(p) && KafkaSecurity.authentication(p) != KafkaAuthenticationType.NONE) {
        // The pipeline's own KafkaUsers: the indexer's may describe its group and topic (its
        // Read ACLs imply Describe), the shipper's may write to the topic.
        kafka = userConnection(p, context, Role.INDEXER);
        canary = userConnection(p, context, Role.SHIPPER);
      } else {
        kafka = kafkaConnection(p, context);
        canary = kafka;
      }
    } catch (StageException e) {
      problem = e.getMessage();
    }
    return FlowTarget.of(p, kafka, canary, problem, IndexTemplateDependent.connection(p, context));
  }

  private static KafkaConnection userConnection(Pipeline p, Context<LogPipeline> context, Role role) {
    var read = KafkaCredentialSources.read(context.getClient(), p, role);
    if (read.credentials() == null) {
      throw new StageException("SecretNotFound", "cannot reach Kafka: " + read.missing() + " is missing");
    }
    var c = read.credentials();
    return new KafkaConnection(p.bootstrapServers(), KafkaSecurity.protocol(p), c.username(), c.password(),
        c.caPem(), c.certificatePem(), c.privateKeyPem());
  }

  /**
   * External Kafka: the operator's own credentials (spec.kafka.adminSecret). Strimzi without
   * authentication: the listener, with the cluster CA for TLS.
   */
  private static KafkaConnection kafkaConnection(Pipeline p, Context<LogPipeline> context) {
    if (!KafkaSecurity.strimzi(p)) {
      return KafkaCredentialSources.adminConnection(context.getClient(), p);
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
