package io.logpipeline.operator.model;

import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassSpec;
import io.logpipeline.operator.api.ShipperClassStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which pipelines a ShipperClass's shared Filebeats serve, and which inputs their ConfigMaps
 * hold: a pure function of the class's last admission record (its status), the inputs as they
 * are, the pipelines of the class and the time. The class's reconciler applies the result; an
 * operator restart continues from the record, never from memory.
 *
 * <ul>
 * <li>Sticky: an admitted pipeline keeps its place until it is deleted or moves to another Kafka
 *     connection; a new one is admitted only below {@code maxPipelines} and
 *     {@code maxConfigBytes}.</li>
 * <li>An input is added only once the pipeline's topic is Ready: Filebeat has one queue for all
 *     inputs, and events for a topic that does not exist would stall every pipeline. With a
 *     Strimzi Kafka with authentication, also only once the group's KafkaUser lets it write
 *     there (its ACL is in the spec Strimzi reports Ready for): a refused write stalls the queue
 *     as surely.</li>
 * <li>A changed input is removed, and added again only after {@code reloadWait}, in which
 *     Filebeat has seen the file go and stopped the old input: Filebeat refuses, or races, an
 *     input whose id is still running.</li>
 * <li>A deleted pipeline's input is removed, and the pipeline leaves the record only after
 *     {@code reloadWait} and once the group's KafkaUser no longer names its topic: its cleanup
 *     deletes the topic only then.</li>
 * <li>An invalid pipeline keeps its last good input.</li>
 * </ul>
 */
public final class ShipperAdmission {

  public static final String CONFIGURED = "Configured";
  public static final String WAITING_FOR_TOPIC = "WaitingForTopic";
  public static final String RECONFIGURING = "Reconfiguring";
  public static final String REMOVING = "Removing";
  public static final String MAX_PIPELINES_EXCEEDED = "MaxPipelinesExceeded";
  public static final String CONFIG_TOO_LARGE = "ConfigTooLarge";
  public static final String WAITING_FOR_KAFKA_USER = "WaitingForKafkaUser";
  static final Set<String> ADMITTED = Set.of(CONFIGURED, WAITING_FOR_TOPIC, WAITING_FOR_KAFKA_USER, RECONFIGURING,
      REMOVING);

  private ShipperAdmission() {}

  /**
   * A LogPipeline of the class as the reconcile sees it.
   *
   * @param key {@code <namespace>/<name>}
   * @param pipeline the validated pipeline; null when its spec or its tenancy is invalid
   * @param deleting true once the LogPipeline is being deleted
   * @param topicReady true when its BufferReady condition is True
   * @param order when it was created, for first come, first served admission
   * @param denied true when tenancy refuses its sources (CrossNamespaceSourceDenied)
   */
  public record Candidate(String key, Pipeline pipeline, boolean deleting, boolean topicReady, String order,
      boolean denied) {}

  /**
   * The group a pipeline belongs to: its class and Kafka connection; in a Dedicated class, or
   * with Kafka credentials from its own namespace ({@link SharedShipperModel#ownGroup}), the
   * pipeline alone.
   */
  public static String groupName(ShipperClass cls, Pipeline p) {
    String connection = SharedShipperModel.connection(p);
    if (cls.getSpec().getMode() == io.logpipeline.operator.api.ShipperMode.DEDICATED
        || SharedShipperModel.ownGroup(p)) {
      connection += "|" + p.namespace() + "/" + p.name();
    }
    return SharedShipperModel.groupName(cls.getMetadata().getName(), connection);
  }

  /**
   * The groups' Strimzi KafkaUsers as they are: which topics each one's spec names, and whether
   * Strimzi has applied that spec.
   */
  public interface KafkaUsers {

    /** Users are taken as granting every topic at once: what {@code render} shows. */
    KafkaUsers GRANTED = new KafkaUsers() {
      @Override
      public Set<String> listed(String group) {
        return null;
      }

      @Override
      public boolean applied(String group) {
        return true;
      }

      @Override
      public boolean granted(String group, String topic) {
        return true;
      }
    };

    /** The topics the group's KafkaUser's ACLs name, or null when it has none. */
    Set<String> listed(String group);

    /** Whether Strimzi reports the user Ready for its current spec (its observedGeneration). */
    boolean applied(String group);

    /** Whether the group's Filebeat may write to the topic now. */
    default boolean granted(String group, String topic) {
      Set<String> listed = listed(group);
      return listed != null && listed.contains(topic) && applied(group);
    }
  }

  /**
   * What to apply.
   *
   * @param status the new admission record
   * @param inputs per group that runs, its input files
   * @param pipelines per group that runs, the valid admitted pipelines in admission order
   * @param acls per group that runs with a Strimzi KafkaUser, the topics it may write to
   * @param recheck when a wait ends, if one is running
   */
  public record Plan(ShipperClassStatus status, Map<String, Map<String, String>> inputs,
      Map<String, List<Pipeline>> pipelines, Map<String, Set<String>> acls, Optional<Duration> recheck) {}

  public static boolean admitted(String state) {
    return ADMITTED.contains(state);
  }

  /** The group and member of a pipeline in a class's record, if it has one. */
  public static Optional<Map.Entry<ShipperClassStatus.Group, ShipperClassStatus.Member>> find(
      ShipperClassStatus status, String key) {
    if (status == null || status.getGroups() == null) {
      return Optional.empty();
    }
    for (ShipperClassStatus.Group g : status.getGroups()) {
      for (ShipperClassStatus.Member m : g.pipelines()) {
        if (m.pipeline().equals(key)) {
          return Optional.of(Map.entry(g, m));
        }
      }
    }
    return Optional.empty();
  }

  /** As {@link #plan(ShipperClass, List, Map, KafkaUsers, Instant, Duration)}, users granting at once. */
  public static Plan plan(ShipperClass cls, List<Candidate> candidates,
      Map<String, Map<String, String>> currentInputs, Instant now, Duration reloadWait) {
    return plan(cls, candidates, currentInputs, KafkaUsers.GRANTED, now, reloadWait);
  }

  public static Plan plan(ShipperClass cls, List<Candidate> candidates,
      Map<String, Map<String, String>> currentInputs, KafkaUsers users, Instant now, Duration reloadWait) {
    ShipperClassSpec spec = cls.getSpec();
    Map<String, Candidate> byKey = new LinkedHashMap<>();
    candidates.forEach(c -> byKey.put(c.key(), c));
    Map<String, LinkedHashMap<String, ShipperClassStatus.Member>> groups = new TreeMap<>();
    Map<String, String> servers = new TreeMap<>();
    Map<String, TreeMap<String, String>> inputs = new TreeMap<>();
    currentInputs.forEach((g, data) -> inputs.put(g, new TreeMap<>(data)));
    Duration[] recheck = {null};
    Map<String, ShipperClassStatus.Member> previous = new LinkedHashMap<>();
    Acls acls = new Acls();

    ShipperClassStatus old = cls.getStatus();
    List<ShipperClassStatus.Group> oldGroups = old == null || old.getGroups() == null ? List.of() : old.getGroups();
    for (ShipperClassStatus.Group g : oldGroups) {
      servers.put(g.name(), g.bootstrapServers());
      for (ShipperClassStatus.Member m : g.pipelines()) {
        previous.put(m.pipeline(), m);
        if (!admitted(m.state())) {
          continue;
        }
        TreeMap<String, String> data = inputs.computeIfAbsent(g.name(), k -> new TreeMap<>());
        String[] nsName = m.pipeline().split("/", 2);
        String inputKey = SharedShipperModel.inputKey(nsName[0], nsName[1]);
        Candidate c = byKey.get(m.pipeline());
        Pipeline p = c == null ? null : c.pipeline();
        String desiredGroup = p == null || c.deleting() ? null : groupName(cls, p);
        // A pipeline denied by tenancy (a cluster-wide namespace taken off the class) loses its
        // input at once: a revoked permission must not keep reading other namespaces.
        boolean leaving = c == null || c.deleting() || c.denied()
            || (p != null && !g.name().equals(desiredGroup));
        String topic = p == null ? null : p.topicName();
        if (leaving) {
          boolean stopping = false;
          if (data.remove(inputKey) != null) {
            // The wait counts from now, when the input goes, whatever the record said before.
            member(groups, g.name(), null, m.pipeline(), REMOVING, now);
            wait(recheck, reloadWait);
            stopping = true;
          } else if (c != null && (REMOVING.equals(m.state()) || RECONFIGURING.equals(m.state()))) {
            Duration left = left(m, now, reloadWait);
            if (!left.isZero()) {
              member(groups, g.name(), m, REMOVING, now);
              wait(recheck, left);
              stopping = true;
            }
          }
          if (stopping) {
            // Filebeat may still write for it until it has stopped the input, perhaps to a topic
            // its spec no longer names (moved to another Kafka and renamed at once).
            acls.keep(g.name(), topic);
            acls.keepListed(g.name());
          } else if (topic != null && users.listed(g.name()) != null && users.listed(g.name()).contains(topic)) {
            // Stopped: its write access goes now, and the pipeline (whose cleanup deletes the
            // topic) leaves the record only once the KafkaUser no longer names the topic.
            member(groups, g.name(), m, REMOVING, now);
            acls.revoke(g.name(), topic);
            wait(recheck, reloadWait);
          }
          continue;
        }
        if (p == null) {
          // Invalid now: the last good input stays, and so does its place (and its write access,
          // whose topic the record does not know: the user's are kept).
          member(groups, g.name(), m, m.state(), now);
          acls.keepListed(g.name());
          continue;
        }
        acls.keep(g.name(), topic);
        String desired = SharedShipperModel.inputFile(p, spec);
        String current = data.get(inputKey);
        if (RECONFIGURING.equals(m.state()) && current == null) {
          Duration left = left(m, now, reloadWait);
          if (!left.isZero()) {
            member(groups, g.name(), m, RECONFIGURING, now);
            // The old input may still write to a topic the new spec no longer names.
            acls.keepListed(g.name());
            wait(recheck, left);
            continue;
          }
        }
        if (current == null) {
          add(groups, g.name(), m, c, data, inputKey, desired, users, now);
        } else if (current.equals(desired)) {
          member(groups, g.name(), m, CONFIGURED, now);
        } else {
          data.remove(inputKey);
          member(groups, g.name(), null, m.pipeline(), RECONFIGURING, now);
          acls.keepListed(g.name());
          wait(recheck, reloadWait);
        }
      }
    }

    List<Candidate> newcomers = candidates.stream()
        .filter(c -> c.pipeline() != null && !c.deleting() && !c.denied())
        .filter(c -> groups.values().stream().noneMatch(g -> g.containsKey(c.key())))
        .sorted(Comparator.comparing((Candidate c) -> c.order() == null ? "" : c.order())
            .thenComparing(Candidate::key))
        .toList();
    for (Candidate c : newcomers) {
      Pipeline p = c.pipeline();
      String group = groupName(cls, p);
      servers.put(group, p.bootstrapServers());
      ShipperClassStatus.Member was = previous.get(c.key());
      LinkedHashMap<String, ShipperClassStatus.Member> members = groups.computeIfAbsent(group, k -> new LinkedHashMap<>());
      long count = members.values().stream().filter(m -> admitted(m.state())).count();
      boolean dedicated = spec.getMode() == io.logpipeline.operator.api.ShipperMode.DEDICATED;
      if (!dedicated && count >= spec.getMaxPipelines()) {
        member(groups, group, was, c.key(), MAX_PIPELINES_EXCEEDED, now);
        continue;
      }
      TreeMap<String, String> data = inputs.computeIfAbsent(group, k -> new TreeMap<>());
      String desired = SharedShipperModel.inputFile(p, spec);
      String inputKey = SharedShipperModel.inputKey(p);
      if (reserved(data, members, byKey, spec) + SharedShipperModel.size(Map.of(inputKey, desired))
          > spec.getMaxConfigBytes()) {
        member(groups, group, was, c.key(), CONFIG_TOO_LARGE, now);
        continue;
      }
      ShipperClassStatus.Member fresh = new ShipperClassStatus.Member(c.key(), "", "");
      acls.keep(group, p.topicName());
      add(groups, group, fresh, c, data, inputKey, desired, users, now);
    }

    ShipperClassStatus status = new ShipperClassStatus();
    status.setObservedGeneration(cls.getMetadata().getGeneration());
    Map<String, Map<String, String>> running = new TreeMap<>();
    Map<String, List<Pipeline>> pipelines = new TreeMap<>();
    Map<String, Set<String>> writers = new TreeMap<>();
    int admittedCount = 0;
    for (var e : groups.entrySet()) {
      List<ShipperClassStatus.Member> members = new ArrayList<>(e.getValue().values());
      // Admitted first in admission order, then the waiting ones.
      members.sort(Comparator.comparing(m -> admitted(m.state()) ? 0 : 1));
      if (members.isEmpty()) {
        continue;
      }
      status.getGroups().add(new ShipperClassStatus.Group(e.getKey(), servers.get(e.getKey()), members, null));
      List<ShipperClassStatus.Member> in = members.stream().filter(m -> admitted(m.state())).toList();
      admittedCount += in.size();
      if (!in.isEmpty()) {
        // The record decides: a key nobody admitted (put there by hand) does not stay.
        Set<String> keys = new java.util.HashSet<>();
        in.forEach(m -> {
          String[] nsName = m.pipeline().split("/", 2);
          keys.add(SharedShipperModel.inputKey(nsName[0], nsName[1]));
        });
        Map<String, String> data = new TreeMap<>(inputs.getOrDefault(e.getKey(), new TreeMap<>()));
        data.keySet().retainAll(keys);
        running.put(e.getKey(), data);
        pipelines.put(e.getKey(), in.stream().map(m -> byKey.get(m.pipeline()))
            .filter(c -> c != null && c.pipeline() != null).map(Candidate::pipeline).toList());
        boolean withUser = users.listed(e.getKey()) != null
            || pipelines.get(e.getKey()).stream().anyMatch(SharedShipperModel::needsKafkaUser);
        if (withUser) {
          writers.put(e.getKey(), acls.of(e.getKey(), users.listed(e.getKey())));
        }
      }
    }
    status.setPipelines(admittedCount);
    return new Plan(status, running, pipelines, writers, Optional.ofNullable(recheck[0]));
  }

  /** The topics each group's KafkaUser is to name, gathered member by member. */
  private static final class Acls {
    private final Map<String, java.util.TreeSet<String>> kept = new TreeMap<>();
    private final Map<String, Set<String>> revoked = new TreeMap<>();
    private final Set<String> keepListed = new java.util.HashSet<>();

    void keep(String group, String topic) {
      if (topic != null) {
        kept.computeIfAbsent(group, k -> new java.util.TreeSet<>()).add(topic);
      }
    }

    void revoke(String group, String topic) {
      revoked.computeIfAbsent(group, k -> new java.util.HashSet<>()).add(topic);
    }

    /** Keep what the user names now, besides the members' topics. */
    void keepListed(String group) {
      keepListed.add(group);
    }

    Set<String> of(String group, Set<String> listed) {
      java.util.TreeSet<String> topics = new java.util.TreeSet<>(kept.getOrDefault(group, new java.util.TreeSet<>()));
      if (keepListed.contains(group) && listed != null) {
        listed.stream().filter(t -> !revoked.getOrDefault(group, Set.of()).contains(t)).forEach(topics::add);
      }
      topics.removeAll(revoked.getOrDefault(group, Set.of()).stream()
          .filter(t -> !kept.getOrDefault(group, new java.util.TreeSet<>()).contains(t)).toList());
      return java.util.Collections.unmodifiableSet(topics);
    }
  }

  /**
   * Adds the input when the topic is Ready and the group's KafkaUser may write to it, else
   * records which of the two it waits for.
   */
  private static void add(Map<String, LinkedHashMap<String, ShipperClassStatus.Member>> groups,
      String group, ShipperClassStatus.Member m, Candidate c, TreeMap<String, String> data,
      String inputKey, String desired, KafkaUsers users, Instant now) {
    if (!c.topicReady()) {
      member(groups, group, m, WAITING_FOR_TOPIC, now);
      return;
    }
    if (SharedShipperModel.needsKafkaUser(c.pipeline()) && !users.granted(group, c.pipeline().topicName())) {
      member(groups, group, m, WAITING_FOR_KAFKA_USER, now);
      return;
    }
    data.put(inputKey, desired);
    member(groups, group, m, CONFIGURED, now);
  }

  /** Bytes of the inputs in the ConfigMap and of those admitted but not in it yet. */
  private static int reserved(Map<String, String> data, Map<String, ShipperClassStatus.Member> members,
      Map<String, Candidate> byKey, ShipperClassSpec spec) {
    int size = SharedShipperModel.size(data);
    for (ShipperClassStatus.Member m : members.values()) {
      Candidate c = byKey.get(m.pipeline());
      if (admitted(m.state()) && c != null && c.pipeline() != null
          && !data.containsKey(SharedShipperModel.inputKey(c.pipeline()))) {
        size += SharedShipperModel.size(Map.of(SharedShipperModel.inputKey(c.pipeline()),
            SharedShipperModel.inputFile(c.pipeline(), spec)));
      }
    }
    return size;
  }

  private static void member(Map<String, LinkedHashMap<String, ShipperClassStatus.Member>> groups,
      String group, ShipperClassStatus.Member was, String state, Instant now) {
    member(groups, group, was, was.pipeline(), state, now);
  }

  /** Records the state, keeping the time it began while it does not change. */
  private static void member(Map<String, LinkedHashMap<String, ShipperClassStatus.Member>> groups,
      String group, ShipperClassStatus.Member was, String key, String state, Instant now) {
    String since = was != null && state.equals(was.state()) && was.since() != null && !was.since().isEmpty()
        ? was.since() : now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    groups.computeIfAbsent(group, k -> new LinkedHashMap<>())
        .put(key, new ShipperClassStatus.Member(key, state, since));
  }

  private static Duration left(ShipperClassStatus.Member m, Instant now, Duration wait) {
    Instant since;
    try {
      since = Instant.parse(m.since());
    } catch (RuntimeException e) {
      return Duration.ZERO;
    }
    Duration left = wait.minus(Duration.between(since, now));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private static void wait(Duration[] recheck, Duration d) {
    Duration at = d.isZero() ? Duration.ofSeconds(1) : d;
    if (recheck[0] == null || at.compareTo(recheck[0]) < 0) {
      recheck[0] = at;
    }
  }
}
