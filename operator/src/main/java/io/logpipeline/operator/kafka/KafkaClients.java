package io.logpipeline.operator.kafka;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One admin client per Kafka cluster and credentials, shared by every pipeline on it and closed
 * when the last one stops using it (deleted, moved to other credentials, or back to Strimzi).
 * Like {@code elastic.SearchClients} for the search clusters.
 */
public final class KafkaClients implements AutoCloseable {

  private final Function<KafkaConnection, KafkaAdmin> factory;
  private final Map<KafkaConnection, KafkaAdmin> admins = new HashMap<>();
  private final Map<KafkaConnection, Set<String>> users = new HashMap<>();
  private final Map<String, KafkaConnection> byUser = new HashMap<>();

  public KafkaClients(Function<KafkaConnection, KafkaAdmin> factory) {
    this.factory = factory;
  }

  /** Clients that speak Kafka's protocol to real brokers. */
  public static KafkaClients kafka() {
    return new KafkaClients(AdminClientKafkaAdmin::new);
  }

  /**
   * The admin client for {@code connection}, on behalf of {@code user} (a pipeline's key). A
   * user that moves to another connection releases its former one.
   */
  public synchronized KafkaAdmin admin(String user, KafkaConnection connection) {
    KafkaConnection before = byUser.put(user, connection);
    if (before != null && !before.equals(connection)) {
      drop(user, before);
    }
    users.computeIfAbsent(connection, c -> new HashSet<>()).add(user);
    return admins.computeIfAbsent(connection, factory);
  }

  /** {@code user} no longer needs a client; the client closes when no one else does. */
  public synchronized void release(String user) {
    KafkaConnection before = byUser.remove(user);
    if (before != null) {
      drop(user, before);
    }
  }

  /** How many clients are open. */
  public synchronized int open() {
    return admins.size();
  }

  private void drop(String user, KafkaConnection connection) {
    Set<String> left = users.get(connection);
    if (left != null) {
      left.remove(user);
      if (left.isEmpty()) {
        users.remove(connection);
        KafkaAdmin admin = admins.remove(connection);
        if (admin != null) {
          admin.close();
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    admins.values().forEach(KafkaAdmin::close);
    admins.clear();
    users.clear();
    byUser.clear();
  }
}
