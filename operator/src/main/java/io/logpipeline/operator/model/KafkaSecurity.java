package io.logpipeline.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the shipper and the indexer reach Kafka: the security protocol, the credentials Secret
 * each mounts (a copy the operator keeps in the pipeline's namespace), and the client settings
 * that read it. Pure functions of a {@link Pipeline}; the copies' contents come from Secrets the
 * reconciler reads ({@link Credentials}).
 */
public final class KafkaSecurity {

  /** Which client a credential belongs to: each gets its own Kafka user and its own Secret. */
  public enum Role {
    SHIPPER, INDEXER;

    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Keys of the copied Secrets: the same whatever the source (Strimzi or the user's Secret). */
  public static final String CA_KEY = "ca.crt";
  public static final String USERNAME_KEY = "username";
  public static final String PASSWORD_KEY = "password";
  public static final String JAAS_KEY = "sasl.jaas.config";
  public static final String CERTIFICATE_KEY = "user.crt";
  public static final String PRIVATE_KEY_KEY = "user.key";
  /** Private key and certificate in one PEM file, the form Kafka's Java client (Logstash) reads. */
  public static final String KEYSTORE_KEY = "keystore.pem";
  /** On a pod template: the copied Secret's resourceVersion, so a rotation rolls the pods. */
  public static final String SECRET_VERSION_ANNOTATION = "logpipeline.io/kafka-secret-version";
  public static final String SCRAM_SHA_512 = "SCRAM-SHA-512";
  static final String VOLUME = "kafka-credentials";
  static final String SHIPPER_DIR = "/usr/share/filebeat/kafka";
  static final String INDEXER_DIR = "/usr/share/logstash/kafka";
  static final String USERNAME_ENV = "KAFKA_USERNAME";
  static final String PASSWORD_ENV = "KAFKA_PASSWORD";
  static final String JAAS_ENV = "KAFKA_SASL_JAAS_CONFIG";
  /** Strimzi's listener ports in its examples and defaults: plain and TLS. */
  static final int STRIMZI_PLAIN_PORT = 9092;
  static final int STRIMZI_TLS_PORT = 9093;

  private KafkaSecurity() {}

  /**
   * What the copy of one role's Secret holds, read from its sources. Values live only here, in
   * memory; {@link #toString()} never prints them.
   *
   * @param caPem the CA to trust, or null for the JVM's (and Go's) default trust store
   * @param username SCRAM username, or null
   * @param password SCRAM password, or null
   * @param jaasConfig a ready sasl.jaas.config (Strimzi writes one), or null to build it
   * @param certificatePem client certificate (tls), or null
   * @param privateKeyPem its PKCS#8 private key, or null
   */
  public record Credentials(String caPem, String username, String password, String jaasConfig,
      String certificatePem, String privateKeyPem) {
    @Override
    public String toString() {
      return "Credentials" + (username != null ? " of " + username : "")
          + (certificatePem != null ? " with a client certificate" : "");
    }
  }

  static KafkaSpec kafka(Pipeline p) {
    return p.spec().getKafka();
  }

  /** True with a Strimzi Kafka ({@code kafka.cluster} set); false for any other Kafka. */
  public static boolean strimzi(Pipeline p) {
    return !Pipeline.blank(kafka(p).getCluster());
  }

  public static KafkaAuthenticationType authentication(Pipeline p) {
    KafkaAuthenticationSpec auth = kafka(p).getAuthentication();
    return auth == null || auth.getType() == null ? KafkaAuthenticationType.NONE : auth.getType();
  }

  public static boolean tls(Pipeline p) {
    return kafka(p).getTls() != null;
  }

  static boolean scram(Pipeline p) {
    return authentication(p) == KafkaAuthenticationType.SCRAM_SHA_512;
  }

  static boolean mutualTls(Pipeline p) {
    return authentication(p) == KafkaAuthenticationType.TLS;
  }

  /** Whether the clients need a Secret at all: credentials, or a CA to trust. */
  public static boolean needsSecret(Pipeline p) {
    return authentication(p) != KafkaAuthenticationType.NONE || caSecretName(p) != null;
  }

  /** Kafka's security.protocol for the shipper, the indexer and the operator alike. */
  public static String protocol(Pipeline p) {
    if (tls(p)) {
      return scram(p) ? "SASL_SSL" : "SSL";
    }
    return scram(p) ? "SASL_PLAINTEXT" : "PLAINTEXT";
  }

  /** Default bootstrap address of a Strimzi cluster: its bootstrap Service, on the listener's port. */
  static String strimziBootstrap(String cluster, String namespace, boolean tls) {
    return cluster + "-kafka-bootstrap." + namespace + ".svc:"
        + (tls ? STRIMZI_TLS_PORT : STRIMZI_PLAIN_PORT);
  }

  /**
   * The Secret with the CA to trust: with Strimzi in the Kafka namespace, by default the cluster
   * CA ({@code <cluster>-cluster-ca-cert}); otherwise in the pipeline's namespace, or null (the
   * public trust store, as Amazon MSK needs).
   */
  public static String caSecretName(Pipeline p) {
    if (!tls(p)) {
      return null;
    }
    var ca = kafka(p).getTls().getCaSecret();
    if (ca != null && !Pipeline.blank(ca.getName())) {
      return ca.getName();
    }
    return strimzi(p) ? kafka(p).getCluster() + "-cluster-ca-cert" : null;
  }

  public static String caSecretKey(Pipeline p) {
    var ca = kafka(p).getTls() == null ? null : kafka(p).getTls().getCaSecret();
    return ca == null || Pipeline.blank(ca.getKey()) ? CA_KEY : ca.getKey();
  }

  /** Name of the copy each role's pods mount, in the pipeline's namespace. */
  public static String secretName(Pipeline p, Role role) {
    return Names.child(p.name(), "kafka-" + role.value(), Names.LABEL_VALUE_MAX);
  }

  /**
   * The Kafka user (Strimzi KafkaUser name, SCRAM username and TLS common name) of one role:
   * {@code <namespace>.<name>-<role>}. Namespaces have no '.', so two pipelines never share one;
   * at most 64 characters, the longest common name a certificate may carry.
   */
  public static String userName(Pipeline p, Role role) {
    String suffix = "-" + role.value();
    String full = p.namespace() + "." + p.name() + suffix;
    if (full.length() <= 64) {
      return full;
    }
    String hash = Names.hash(p.namespace() + "/" + p.name(), 8);
    String head = (p.namespace() + "." + p.name()).substring(0, 64 - suffix.length() - hash.length() - 1)
        .replaceAll("[.-]+$", "");
    return head + "-" + hash + suffix;
  }

  // ---- the copied Secrets --------------------------------------------------------------------

  /** The copy of one role's credentials, as its pods mount it. */
  public static Secret secret(Pipeline p, Role role, Credentials credentials) {
    String component = role == Role.SHIPPER ? Pipeline.COMPONENT_SHIPPER : Pipeline.COMPONENT_INDEXER;
    return new SecretBuilder()
        .withMetadata(p.metadata(secretName(p, role), component, BufferModel.PRODUCT))
        .withType("Opaque")
        .withData(secretData(p, credentials))
        .build();
  }

  /** A copy's data (base64, as a Secret holds it): the CA and what the pipeline's security reads. */
  public static Map<String, String> secretData(Pipeline p, Credentials credentials) {
    Map<String, String> data = new LinkedHashMap<>();
    if (credentials.caPem() != null) {
      data.put(CA_KEY, credentials.caPem());
    }
    if (scram(p)) {
      data.put(USERNAME_KEY, credentials.username());
      data.put(PASSWORD_KEY, credentials.password());
      data.put(JAAS_KEY, credentials.jaasConfig() != null ? credentials.jaasConfig()
          : jaasConfig(credentials.username(), credentials.password()));
    }
    if (mutualTls(p)) {
      data.put(CERTIFICATE_KEY, credentials.certificatePem());
      data.put(PRIVATE_KEY_KEY, credentials.privateKeyPem());
      data.put(KEYSTORE_KEY, withNewline(credentials.privateKeyPem()) + withNewline(credentials.certificatePem()));
    }
    Map<String, String> encoded = new LinkedHashMap<>();
    data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(
        Objects.requireNonNull(v, k).getBytes(StandardCharsets.UTF_8))));
    return encoded;
  }

  /** Kafka's SCRAM login module line, with the values quoted as JAAS requires. */
  public static String jaasConfig(String username, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + jaasEscape(username) + "\" password=\"" + jaasEscape(password) + "\";";
  }

  private static String jaasEscape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String withNewline(String pem) {
    return pem.endsWith("\n") ? pem : pem + "\n";
  }

  // ---- client settings -----------------------------------------------------------------------

  /** Security settings of Filebeat's Kafka output (empty for plaintext without authentication). */
  static Map<String, Object> filebeatSettings(Pipeline p) {
    Map<String, Object> settings = new LinkedHashMap<>();
    if (scram(p)) {
      settings.put("username", "${" + USERNAME_ENV + "}");
      settings.put("password", "${" + PASSWORD_ENV + "}");
      settings.put("sasl.mechanism", SCRAM_SHA_512);
    }
    if (tls(p)) {
      settings.put("ssl.enabled", true);
      if (caSecretName(p) != null) {
        settings.put("ssl.certificate_authorities", List.of(SHIPPER_DIR + "/" + CA_KEY));
      }
      if (mutualTls(p)) {
        settings.put("ssl.certificate", SHIPPER_DIR + "/" + CERTIFICATE_KEY);
        settings.put("ssl.key", SHIPPER_DIR + "/" + PRIVATE_KEY_KEY);
      }
    }
    return settings;
  }

  /**
   * Security settings of Logstash's kafka input, as option name and rendered value. Always names
   * the SASL mechanism: the plugin's default is GSSAPI.
   */
  static Map<String, String> logstashSettings(Pipeline p) {
    Map<String, String> settings = new LinkedHashMap<>();
    String protocol = protocol(p);
    if (protocol.equals("PLAINTEXT")) {
      return settings;
    }
    settings.put("security_protocol", quote(protocol));
    if (scram(p)) {
      settings.put("sasl_mechanism", quote(SCRAM_SHA_512));
      settings.put("sasl_jaas_config", quote("${" + JAAS_ENV + "}"));
    }
    if (caSecretName(p) != null) {
      settings.put("ssl_truststore_location", quote(INDEXER_DIR + "/" + CA_KEY));
      settings.put("ssl_truststore_type", quote("PEM"));
    }
    if (mutualTls(p)) {
      settings.put("ssl_keystore_location", quote(INDEXER_DIR + "/" + KEYSTORE_KEY));
      settings.put("ssl_keystore_type", quote("PEM"));
    }
    return settings;
  }

  private static String quote(String s) {
    return '"' + s + '"';
  }

  // ---- pods ----------------------------------------------------------------------------------

  /** Mounts the shipper's copy into the Filebeat container, and its password into the environment. */
  public static void shipperPod(Pipeline p, PodTemplateSpec template, String container) {
    shipperPod(p, template, container, secretName(p, Role.SHIPPER));
  }

  /** As {@link #shipperPod(Pipeline, PodTemplateSpec, String)}, from the copy named {@code secret}. */
  public static void shipperPod(Pipeline p, PodTemplateSpec template, String container, String secret) {
    credentialsPod(p, template, container, Role.SHIPPER, SHIPPER_DIR, secret);
  }

  /** Mounts the indexer's copy into the Logstash container, and its JAAS line into the environment. */
  public static void indexerPod(Pipeline p, PodTemplateSpec template, String container) {
    credentialsPod(p, template, container, Role.INDEXER, INDEXER_DIR, secretName(p, Role.INDEXER));
  }

  private static void credentialsPod(Pipeline p, PodTemplateSpec template, String containerName,
      Role role, String dir, String secret) {
    if (!needsSecret(p)) {
      return;
    }
    Container container = template.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(containerName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no container " + containerName));
    List<EnvVar> env = new ArrayList<>(Objects.requireNonNullElse(container.getEnv(), List.of()));
    if (scram(p)) {
      if (role == Role.SHIPPER) {
        env.add(secretEnv(USERNAME_ENV, secret, USERNAME_KEY));
        env.add(secretEnv(PASSWORD_ENV, secret, PASSWORD_KEY));
      } else {
        env.add(secretEnv(JAAS_ENV, secret, JAAS_KEY));
      }
    }
    container.setEnv(env);
    container.getVolumeMounts().add(new VolumeMountBuilder().withName(VOLUME).withMountPath(dir)
        .withReadOnly(true).build());
    // Readable by the owner and, through the pod's fsGroup, Logstash's group; no one else.
    template.getSpec().getVolumes().add(new VolumeBuilder().withName(VOLUME).withNewSecret()
        .withSecretName(secret).withDefaultMode(0440).endSecret().build());
  }

  /**
   * Puts a hash of the copied Secret's resourceVersion on the pod template: when Strimzi rotates
   * a password or the CA, the copy changes and the pods roll (environment variables from a Secret
   * are read only when a container starts). A version, never the content, so the pod template
   * tells nothing about the secret.
   */
  public static void secretVersion(PodTemplateSpec template, String resourceVersion) {
    if (resourceVersion == null) {
      return;
    }
    template.getMetadata().getAnnotations().put(SECRET_VERSION_ANNOTATION, Names.hash(resourceVersion, 16));
  }

  private static EnvVar secretEnv(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom()
        .withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef()
        .endValueFrom().build();
  }
}
