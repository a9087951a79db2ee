package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserScramSha512ClientAuthentication;
import io.strimzi.api.kafka.model.user.KafkaUserTlsClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclOperation;
import io.strimzi.api.kafka.model.user.acl.AclResourcePatternType;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleBuilder;
import io.strimzi.api.kafka.model.user.acl.AclRuleType;

import java.util.List;

/**
 * The Strimzi KafkaUsers of a pipeline with authentication: one for the shipper, one for the
 * indexer, each allowed exactly what its client does and nothing on any other topic or group.
 */
public final class KafkaUserModel {

  /** Which role a KafkaUser serves; also tells the two users' informers apart. */
  public static final String ROLE_LABEL = "logpipeline.io/kafka-user";

  private KafkaUserModel() {}

  /** Whether the pipeline has KafkaUsers: a Strimzi cluster and an authentication. */
  public static boolean enabled(Pipeline p) {
    return KafkaSecurity.strimzi(p) && KafkaSecurity.authentication(p) != KafkaAuthenticationType.NONE;
  }

  public static KafkaUser kafkaUser(Pipeline p, Role role) {
    KafkaUserAuthentication authentication = KafkaSecurity.authentication(p) == KafkaAuthenticationType.TLS
        ? new KafkaUserTlsClientAuthentication() : new KafkaUserScramSha512ClientAuthentication();
    var metadata = new ObjectMetaBuilder()
        .withName(KafkaSecurity.userName(p, role))
        .withNamespace(p.kafkaNamespace())
        .withLabels(p.labels(Pipeline.COMPONENT_BUFFER, BufferModel.PRODUCT))
        .addToLabels(Pipeline.LABEL_OWNER_NAMESPACE, p.namespace())
        .addToLabels(BufferModel.STRIMZI_CLUSTER_LABEL, p.spec().getKafka().getCluster())
        .addToLabels(ROLE_LABEL, role.value())
        .build();
    return new KafkaUserBuilder()
        .withMetadata(metadata)
        .withNewSpec()
          .withAuthentication(authentication)
          .withNewKafkaUserAuthorizationSimple()
            .withAcls(acls(p, role))
          .endKafkaUserAuthorizationSimple()
        .endSpec()
        .build();
  }

  /**
   * Least privilege: Filebeat writes to the topic (Describe for its metadata; idempotent writes
   * need nothing more since Kafka 3.0); Logstash reads the topic and commits its group's offsets.
   */
  static List<AclRule> acls(Pipeline p, Role role) {
    if (role == Role.SHIPPER) {
      return List.of(topicRule(p, AclOperation.WRITE, AclOperation.DESCRIBE));
    }
    return List.of(
        topicRule(p, AclOperation.READ, AclOperation.DESCRIBE),
        new AclRuleBuilder().withType(AclRuleType.ALLOW)
            .withNewAclRuleGroupResource().withName(p.consumerGroup())
                .withPatternType(AclResourcePatternType.LITERAL).endAclRuleGroupResource()
            .withOperations(AclOperation.READ)
            .build());
  }

  private static AclRule topicRule(Pipeline p, AclOperation... operations) {
    return new AclRuleBuilder().withType(AclRuleType.ALLOW)
        .withNewAclRuleTopicResource().withName(p.topicName())
            .withPatternType(AclResourcePatternType.LITERAL).endAclRuleTopicResource()
        .withOperations(operations)
        .build();
  }
}
