package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.strimzi.api.kafka.model.common.ConditionBuilder;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.strimzi.api.kafka.model.user.KafkaUserStatusBuilder;
import io.strimzi.api.kafka.model.user.KafkaUserTlsClientAuthentication;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Strimzi's User Operator as far as the mock API server needs it: for each KafkaUser, the Secret
 * of the same name with the user's credentials (SCRAM: password and sasl.jaas.config; TLS:
 * user.crt and user.key, placeholders here), then status Ready at the user's generation (again at
 * each change of its spec). The real broker tests make real
 * credentials instead ({@code kafka.StrimziUserOperator}).
 */
final class SimulatedUserOperator {

  private SimulatedUserOperator() {}

  static void userReady(KubernetesClient client, KafkaUser user) {
    boolean ready = user.getStatus() != null && user.getStatus().getConditions() != null
        && user.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))
        && java.util.Objects.equals(user.getStatus().getObservedGeneration(), user.getMetadata().getGeneration());
    if (ready) {
      return;
    }
    String name = user.getMetadata().getName();
    String namespace = user.getMetadata().getNamespace();
    try {
      if (client.secrets().inNamespace(namespace).withName(name).get() == null) {
        Map<String, String> data = new LinkedHashMap<>();
        if (user.getSpec().getAuthentication() instanceof KafkaUserTlsClientAuthentication) {
          data.put("user.crt", "-----BEGIN CERTIFICATE-----\n" + name + "\n-----END CERTIFICATE-----\n");
          data.put("user.key", "-----BEGIN PRIVATE KEY-----\n" + name + "\n-----END PRIVATE KEY-----\n");
        } else {
          String password = UUID.randomUUID().toString().replace("-", "");
          data.put("password", password);
          data.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
              + " username=\"" + name + "\" password=\"" + password + "\";");
        }
        client.secrets().inNamespace(namespace).resource(secret(namespace, name, data)).create();
      }
      // Ready for the spec it has applied: an ACL added later is in force only once
      // observedGeneration has caught up with it.
      user.setStatus(new KafkaUserStatusBuilder().withUsername(name).withSecret(name)
          .withObservedGeneration(user.getMetadata().getGeneration() == null ? 0 : user.getMetadata().getGeneration())
          .withConditions(new ConditionBuilder().withType("Ready").withStatus("True").build()).build());
      client.resource(user).updateStatus();
    } catch (KubernetesClientException e) {
      // A conflict or a deleted user: the watch brings the newer version, and this runs again.
    }
  }

  /** A Secret as Strimzi writes them, labelled with its kind. */
  static Secret secret(String namespace, String name, Map<String, String> values) {
    Map<String, String> data = new LinkedHashMap<>();
    values.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .addToLabels("strimzi.io/kind", "KafkaUser").endMetadata().withData(data).build();
  }
}
