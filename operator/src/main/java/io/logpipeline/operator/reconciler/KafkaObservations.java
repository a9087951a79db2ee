package io.logpipeline.operator.reconciler;

import io.logpipeline.operator.kafka.TopicDescription;
import io.logpipeline.operator.model.KafkaSecurity.Role;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the Kafka dependents saw during one reconcile, for the status: the copied credentials'
 * versions (for the pod templates) or what they wait for, and the external topic.
 */
final class KafkaObservations {

  private final Map<Role, String> secretVersions = new ConcurrentHashMap<>();
  private final Map<Role, String> waiting = new ConcurrentHashMap<>();
  private volatile TopicDescription externalTopic;

  void secretVersion(Role role, String resourceVersion) {
    secretVersions.put(role, resourceVersion);
  }

  /** The copied Secret's resourceVersion, or null when there is none (yet). */
  String secretVersion(Role role) {
    return secretVersions.get(role);
  }

  /** The copy of {@code role}'s credentials waits: {@code what} says for what. */
  void waiting(Role role, String what) {
    waiting.put(role, what);
  }

  Map<Role, String> waiting() {
    return Map.copyOf(waiting);
  }

  void externalTopic(TopicDescription topic) {
    this.externalTopic = topic;
  }

  Optional<TopicDescription> externalTopic() {
    return Optional.ofNullable(externalTopic);
  }
}
