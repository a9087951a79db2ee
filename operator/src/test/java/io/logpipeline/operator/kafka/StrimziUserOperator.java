package io.logpipeline.operator.kafka;

import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserAuthorizationSimple;
import io.strimzi.api.kafka.model.user.KafkaUserTlsClientAuthentication;
import io.strimzi.api.kafka.model.user.acl.AclRule;
import io.strimzi.api.kafka.model.user.acl.AclRuleGroupResource;
import io.strimzi.api.kafka.model.user.acl.AclRuleTopicResource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Strimzi's User Operator does with a KafkaUser, against the test broker: the SCRAM
 * credential (a new random password) or a client certificate from the test CA, and the ACLs of
 * the KafkaUser's simple authorization, for principal {@code User:<name>} (SCRAM) or
 * {@code User:CN=<name>} (TLS), as Strimzi sets them.
 */
final class StrimziUserOperator {

  /** What the User Operator writes into the user's Secret. */
  record UserSecret(String username, String password, String jaasConfig, TestCertificates.Pem certificate) {}

  private StrimziUserOperator() {}

  static UserSecret apply(Admin admin, TestCertificates authority, KafkaUser user) throws Exception {
    String name = user.getMetadata().getName();
    boolean tls = user.getSpec().getAuthentication() instanceof KafkaUserTlsClientAuthentication;
    UserSecret secret;
    if (tls) {
      secret = new UserSecret(null, null, null, authority.client(name));
    } else {
      String password = password();
      scram(admin, name, password);
      secret = new UserSecret(name, password,
          io.logpipeline.operator.model.KafkaSecurity.jaasConfig(name, password), null);
    }
    String principal = "User:" + (tls ? "CN=" + name : name);
    List<AclBinding> bindings = new ArrayList<>();
    for (AclRule rule : ((KafkaUserAuthorizationSimple) user.getSpec().getAuthorization()).getAcls()) {
      ResourcePattern pattern;
      if (rule.getResource() instanceof AclRuleTopicResource t) {
        pattern = new ResourcePattern(ResourceType.TOPIC, t.getName(), patternType(t.getPatternType().toValue()));
      } else if (rule.getResource() instanceof AclRuleGroupResource g) {
        pattern = new ResourcePattern(ResourceType.GROUP, g.getName(), patternType(g.getPatternType().toValue()));
      } else {
        throw new AssertionError("unexpected ACL resource " + rule.getResource());
      }
      for (var op : rule.getOperations()) {
        bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, "*",
            AclOperation.fromString(op.toValue().toUpperCase(Locale.ROOT)), AclPermissionType.ALLOW)));
      }
    }
    admin.createAcls(bindings).all().get();
    return secret;
  }

  static void scram(Admin admin, String name, String password) throws Exception {
    admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get();
  }

  static String password() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return java.util.HexFormat.of().formatHex(bytes);
  }

  private static PatternType patternType(String value) {
    return value.equalsIgnoreCase("prefix") ? PatternType.PREFIXED : PatternType.LITERAL;
  }
}
