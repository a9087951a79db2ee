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
   * The KafkaUser of a group of a ShipperClass's shared shippers: one identity for the one
   * Kafka output of its Filebeats, in the Kafka namespace, named as the group, owned by the
   * class. Its ACLs name exactly {@code topics} (literal names, never a prefix), each with what
   * a shipper needs: Write and Describe.
   */
  public static KafkaUser sharedShipperUser(SharedShipperModel.Group g, java.util.Collection<String> topics) {
    Pipeline any = g.pipelines().get(0);
    KafkaUserAuthentication authentication = KafkaSecurity.authentication(any) == KafkaAuthenticationType.TLS
        ? new KafkaUserTlsClientAuthentication() : new KafkaUserScramSha512ClientAuthentication();
    var metadata = new ObjectMetaBuilder()
        .withName(g.name())
        .withNamespace(any.kafkaNamespace())
        .withLabels(SharedShipperModel.labels(g))
        .addToLabels(BufferModel.STRIMZI_CLUSTER_LABEL, any.spec().getKafka().getCluster())
        .build();
    return new KafkaUserBuilder()
        .withMetadata(metadata)
        .withNewSpec()
          .withAuthentication(authentication)
          .withNewKafkaUserAuthorizationSimple()
            .withAcls(new java.util.TreeSet<>(topics).stream()
                .map(topic -> topicRule(topic, AclOperation.WRITE, AclOperation.DESCRIBE)).toList())
          .endKafkaUserAuthorizationSimple()
        .endSpec()
        .build();
  }

  /** The topics a group's KafkaUser's ACLs name. */
  public static java.util.Set<String> topics(KafkaUser user) {
    java.util.Set<String> topics = new java.util.TreeSet<>();
    if (user.getSpec() != null && user.getSpec().getAuthorization()
        instanceof io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple simple && simple.getAcls() != null) {
      simple.getAcls().stream().map(AclRule::getResource)
          .filter(r -> r instanceof io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource)
          .map(r -> ((io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource) r).getName())
          .forEach(topics::add);
    }
    return topics;
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
    return topicRule(p.topicName(), operations);
  }

  private static AclRule topicRule(String topic, AclOperation... operations) {
    return new AclRuleBuilder().withType(AclRuleType.ALLOW)
        .withNewAclRuleTopicResource().withName(topic)
            .withPatternType(AclResourcePatternType.LITERAL).endAclRuleTopicResource()
        .withOperations(operations)
        .build();
  }
}
