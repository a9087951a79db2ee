package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.kafka.KafkaConnection;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Credentials;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Reads the Secrets a pipeline's Kafka credentials come from: with Strimzi, the Secrets its
 * User Operator writes for the pipeline's KafkaUsers and the cluster CA, in the Kafka namespace;
 * otherwise the Secrets the spec names, in the pipeline's namespace. Read by name at each
 * reconcile, never watched, so no Secret sits in the operator's caches.
 */
final class KafkaCredentialSources {

  /** What a read found: the credentials, or what is still missing (then credentials is null). */
  record Read(Credentials credentials, String missing) {
    static Read missing(String what) {
      return new Read(null, what);
    }
  }

  private KafkaCredentialSources() {}

  /** The credentials of the shipper's or the indexer's copy. */
  static Read read(KubernetesClient client, Pipeline p, Role role) {
    return read(client, p, role, KafkaSecurity.userName(p, role));
  }

  /**
   * The credentials of a class's Filebeat's copy: with Strimzi, those of its group's KafkaUser
   * {@code user}; otherwise those the pipeline's spec names in its namespace (such a pipeline
   * has a group of its own: a tenant's Secret is never shared).
   */
  static Read readShared(KubernetesClient client, Pipeline p, String user) {
    return read(client, p, Role.SHIPPER, user);
  }

  private static Read read(KubernetesClient client, Pipeline p, Role role, String user) {
    String ca = null;
    String caName = KafkaSecurity.caSecretName(p);
    if (caName != null) {
      String caNamespace = KafkaSecurity.strimzi(p) ? p.kafkaNamespace() : p.namespace();
      Secret caSecret = client.secrets().inNamespace(caNamespace).withName(caName).get();
      ca = value(caSecret, KafkaSecurity.caSecretKey(p));
      if (ca == null) {
        return Read.missing("the CA in Secret " + caNamespace + "/" + caName + ", key "
            + KafkaSecurity.caSecretKey(p) + (KafkaSecurity.strimzi(p) ? " (Strimzi writes it when the Kafka cluster is ready)" : ""));
      }
    }
    KafkaAuthenticationType type = KafkaSecurity.authentication(p);
    if (type == KafkaAuthenticationType.NONE) {
      return new Read(new Credentials(ca, null, null, null, null, null), null);
    }
    if (KafkaSecurity.strimzi(p)) {
      Secret secret = client.secrets().inNamespace(p.kafkaNamespace()).withName(user).get();
      String what = "the Secret " + p.kafkaNamespace() + "/" + user + " of KafkaUser " + user
          + " (Strimzi's User Operator writes it)";
      if (type == KafkaAuthenticationType.SCRAM_SHA_512) {
        String password = value(secret, "password");
        String jaas = value(secret, "sasl.jaas.config");
        return password == null ? Read.missing(what)
            : new Read(new Credentials(ca, user, password, jaas, null, null), null);
      }
      String cert = value(secret, "user.crt");
      String key = value(secret, "user.key");
      return cert == null || key == null ? Read.missing(what)
          : new Read(new Credentials(ca, null, null, null, cert, key), null);
    }
    var auth = p.spec().getKafka().getAuthentication();
    KafkaCredentialsRef ref = role == Role.SHIPPER ? auth.getShipperSecret() : auth.getIndexerSecret();
    return external(client, p, ref, type, ca);
  }

  /** The operator's own connection to an external Kafka (spec.kafka.adminSecret). */
  static KafkaConnection adminConnection(KubernetesClient client, Pipeline p) {
    Read ca = externalCa(client, p);
    if (ca.credentials() == null) {
      throw new StageException("SecretNotFound", "cannot reach Kafka: " + ca.missing() + " is missing");
    }
    KafkaAuthenticationType type = KafkaSecurity.authentication(p);
    Credentials c = ca.credentials();
    if (type != KafkaAuthenticationType.NONE) {
      Read admin = external(client, p, p.spec().getKafka().getAdminSecret(), type, c.caPem());
      if (admin.credentials() == null) {
        throw new StageException("SecretNotFound", "cannot reach Kafka: " + admin.missing() + " is missing");
      }
      c = admin.credentials();
    }
    return new KafkaConnection(p.bootstrapServers(), KafkaSecurity.protocol(p), c.username(),
        c.password(), c.caPem(), c.certificatePem(), c.privateKeyPem());
  }

  private static Read externalCa(KubernetesClient client, Pipeline p) {
    String caName = KafkaSecurity.caSecretName(p);
    if (caName == null) {
      return new Read(new Credentials(null, null, null, null, null, null), null);
    }
    Secret caSecret = client.secrets().inNamespace(p.namespace()).withName(caName).get();
    String ca = value(caSecret, KafkaSecurity.caSecretKey(p));
    return ca == null ? Read.missing("the CA in Secret " + p.namespace() + "/" + caName + ", key "
        + KafkaSecurity.caSecretKey(p)) : new Read(new Credentials(ca, null, null, null, null, null), null);
  }

  private static Read external(KubernetesClient client, Pipeline p, KafkaCredentialsRef ref,
      KafkaAuthenticationType type, String ca) {
    Secret secret = client.secrets().inNamespace(p.namespace()).withName(ref.getName()).get();
    String what = "Secret " + p.namespace() + "/" + ref.getName();
    if (type == KafkaAuthenticationType.SCRAM_SHA_512) {
      String username = value(secret, ref.getUsernameKey());
      String password = value(secret, ref.getPasswordKey());
      return username == null || password == null
          ? Read.missing(what + " with keys " + ref.getUsernameKey() + " and " + ref.getPasswordKey())
          : new Read(new Credentials(ca, username, password, null, null, null), null);
    }
    String cert = value(secret, ref.getCertificateKey());
    String key = value(secret, ref.getKeyKey());
    return cert == null || key == null
        ? Read.missing(what + " with keys " + ref.getCertificateKey() + " and " + ref.getKeyKey())
        : new Read(new Credentials(ca, null, null, null, cert, key), null);
  }

  /** A Secret's value, or null when the Secret or the key is missing. */
  static String value(Secret secret, String key) {
    if (secret == null) {
      return null;
    }
    if (secret.getData() != null && secret.getData().get(key) != null) {
      return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    return secret.getStringData() == null ? null : secret.getStringData().get(key);
  }
}
