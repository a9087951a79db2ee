package io.logpipeline.operator.model;

import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;

import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which LogPipeline a Kafka topic belongs to. Two pipelines naming one topic on one Kafka would
 * rewrite each other's topic settings, each delete it from under the other, and each read the
 * other's events: a tenant naming another tenant's topic would read its logs. So a topic has one
 * owner, and every other pipeline naming it is refused before anything is written.
 *
 * <p>The owner is, in this order: the pipeline whose status shows it already runs on the topic
 * (an edit never takes a running pipeline's topic away); the pipeline whose default topic it is
 * (no one can squat another pipeline's default name by being created first); the oldest; then
 * namespace and name, so that every reconcile of every claimant agrees.
 */
public final class TopicClaims {

  /** Reason on Valid when the topic belongs to another pipeline. */
  public static final String TOPIC_IN_USE = "TopicInUse";
  /** Name of the index of LogPipelines by {@link #keys}. */
  public static final String INDEX = "kafka-topic";

  private static final Comparator<LogPipeline> PRECEDENCE = Comparator
      .comparing((LogPipeline lp) -> !runsOn(lp))
      .thenComparing(lp -> !isDefaultName(lp))
      .thenComparing(lp -> Objects.requireNonNullElse(lp.getMetadata().getCreationTimestamp(), "~"))
      .thenComparing(lp -> lp.getMetadata().getNamespace())
      .thenComparing(lp -> lp.getMetadata().getName());

  private TopicClaims() {}

  /**
   * The topic a LogPipeline names, as one key of its Kafka and the topic's name (none when the
   * spec names no Kafka). A Strimzi cluster is known by its namespace and name; any other Kafka by
   * its bootstrap addresses, in any order and case. Lenient: every object in the cache is indexed,
   * valid or not.
   */
  public static List<String> keys(LogPipeline lp) {
    return key(lp).map(List::of).orElse(List.of());
  }

  static Optional<String> key(LogPipeline lp) {
    LogPipelineSpec spec = lp.getSpec();
    if (spec == null || spec instanceof UnreadableSpec || spec.getKafka() == null) {
      return Optional.empty();
    }
    KafkaSpec kafka = spec.getKafka();
    String topic = topicName(lp);
    if (!Pipeline.blank(kafka.getCluster())) {
      String ns = Pipeline.blank(kafka.getNamespace()) ? lp.getMetadata().getNamespace() : kafka.getNamespace();
      return Optional.of("strimzi:" + ns + "/" + kafka.getCluster() + "/" + topic);
    }
    if (!Pipeline.blank(kafka.getBootstrapServers())) {
      String servers = Arrays.stream(kafka.getBootstrapServers().split(","))
          .map(s -> s.trim().toLowerCase(Locale.ROOT))
          .filter(s -> !s.isEmpty())
          .distinct()
          .sorted()
          .collect(Collectors.joining(","));
      return Optional.of("kafka:" + servers + "/" + topic);
    }
    return Optional.empty();
  }

  /**
   * The pipeline that owns the topic {@code self} names, when it is another one. {@code claimants}
   * are the pipelines with the same key (self among them or not); those being deleted still hold
   * the topic until they are gone.
   */
  public static Optional<LogPipeline> otherOwner(LogPipeline self, Collection<LogPipeline> claimants) {
    Optional<String> key = key(self);
    if (key.isEmpty()) {
      return Optional.empty();
    }
    // By namespace and name, not uid: render's pipelines have none.
    return java.util.stream.Stream.concat(claimants.stream(), java.util.stream.Stream.of(self))
        .filter(lp -> key.equals(key(lp)))
        .min(PRECEDENCE)
        .filter(owner -> !(Objects.equals(owner.getMetadata().getNamespace(), self.getMetadata().getNamespace())
            && Objects.equals(owner.getMetadata().getName(), self.getMetadata().getName())));
  }

  /** The problem to report on a pipeline whose topic belongs to {@code owner}. */
  public static SpecProblem problem(LogPipeline self, LogPipeline owner) {
    return new SpecProblem(field(self), "topic " + topicName(self) + " on this Kafka belongs to LogPipeline "
        + owner.getMetadata().getNamespace() + "/" + owner.getMetadata().getName()
        + ": a topic carries one pipeline's logs; name another topic (or leave spec.kafka.topic.name"
        + " out for this pipeline's own, " + Pipeline.defaultTopicName(self.getMetadata().getNamespace(),
            self.getMetadata().getName()) + ")");
  }

  /** The field that names the topic: its name when set, else the Kafka the default name is on. */
  public static String field(LogPipeline lp) {
    var topic = lp.getSpec().getKafka().getTopic();
    return topic != null && !Pipeline.blank(topic.getName()) ? "spec.kafka.topic.name" : "spec.kafka";
  }

  private static String topicName(LogPipeline lp) {
    var topic = lp.getSpec().getKafka().getTopic();
    return topic == null || Pipeline.blank(topic.getName())
        ? Pipeline.defaultTopicName(lp.getMetadata().getNamespace(), lp.getMetadata().getName())
        : topic.getName();
  }

  private static boolean isDefaultName(LogPipeline lp) {
    return topicName(lp).equals(
        Pipeline.defaultTopicName(lp.getMetadata().getNamespace(), lp.getMetadata().getName()));
  }

  /** Whether the status shows the pipeline provisioned this topic (kept while it is invalid). */
  private static boolean runsOn(LogPipeline lp) {
    var status = lp.getStatus();
    return status != null && status.getBuffer() != null
        && topicName(lp).equals(status.getBuffer().topic());
  }
}
