package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SpecProblem;
import io.logpipeline.operator.model.TopicClaims;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the topic a pipeline names is its own: no other LogPipeline owns it ({@link
 * TopicClaims}), and a Strimzi KafkaTopic of that name, when there is one, was not made for
 * another pipeline. Under {@code deletionPolicy: Retain} a topic outlives its pipeline, and its
 * events are still that pipeline's namespace's logs.
 */
final class TopicOwnership {

  private TopicOwnership() {}

  /** Indexes the LogPipelines by the topic they name, so a check reads its claimants only. */
  static void index(EventSourceContext<LogPipeline> context) {
    context.getPrimaryCache().addIndexer(TopicClaims.INDEX, TopicClaims::keys);
  }

  /** Why the topic is not this pipeline's to use; empty when it is. */
  static List<SpecProblem> problems(LogPipeline lp, Pipeline p, Context<LogPipeline> context) {
    var owner = TopicClaims.otherOwner(lp, claimants(lp, context));
    if (owner.isPresent()) {
      return List.of(TopicClaims.problem(lp, owner.get()));
    }
    return madeForAnother(p, context).map(List::of).orElse(List.of());
  }

  /** Whether deleting the pipeline may delete its topic: it is the topic's owner. */
  static boolean owns(LogPipeline lp, Pipeline p, Context<LogPipeline> context) {
    return problems(lp, p, context).isEmpty();
  }

  private static List<LogPipeline> claimants(LogPipeline lp, Context<LogPipeline> context) {
    return TopicClaims.keys(lp).stream()
        .flatMap(key -> context.getPrimaryCache().byIndex(TopicClaims.INDEX, key).stream())
        .toList();
  }

  /** A KafkaTopic labelled for another pipeline, left by its deletion under Retain. */
  private static Optional<SpecProblem> madeForAnother(Pipeline p, Context<LogPipeline> context) {
    if (!KafkaSecurity.strimzi(p)) {
      return Optional.empty();
    }
    return cachedTopic(p, context).flatMap(topic -> {
      Map<String, String> labels = topic.getMetadata().getLabels();
      String ns = labels == null ? null : labels.get(Pipeline.LABEL_OWNER_NAMESPACE);
      String instance = labels == null ? null : labels.get(Pipeline.LABEL_INSTANCE);
      if (ns == null || instance == null || (ns.equals(p.namespace()) && instance.equals(p.instance()))) {
        return Optional.empty();
      }
      return Optional.of(new SpecProblem(TopicClaims.field(p.resource()),
          "topic " + p.topicName() + " is KafkaTopic " + p.kafkaNamespace() + "/" + p.topicResourceName()
              + ", made for LogPipeline " + ns + "/" + instance + " and kept after it (deletionPolicy:"
              + " Retain): its events are that pipeline's logs. Recreate that LogPipeline to read them,"
              + " delete the KafkaTopic to drop them, or name another topic"));
    });
  }

  private static Optional<KafkaTopic> cachedTopic(Pipeline p, Context<LogPipeline> context) {
    try {
      if (context.eventSourceRetriever().getEventSourceFor(KafkaTopic.class)
          instanceof ManagedInformerEventSource<KafkaTopic, LogPipeline, ?> topics) {
        return topics.get(new ResourceID(p.topicResourceName(), p.kafkaNamespace()));
      }
    } catch (RuntimeException e) {
      // No KafkaTopic informer (Strimzi not installed): no Strimzi topic to be made for anyone.
    }
    return Optional.empty();
  }
}
