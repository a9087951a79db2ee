package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.Pipeline;
import java.util.function.Supplier;

/**
 * What the reconciler hands its dependents for one reconcile: the validated pipeline (resolved
 * once, so every dependent builds from the same value), the search and Kafka clients, and where
 * the Kafka dependents leave what they observed.
 */
final class PipelineContext {

  private PipelineContext() {}

  static void put(Context<LogPipeline> context, Pipeline pipeline, SearchClients clients,
      KafkaClients kafkaClients) {
    var workflowContext = context.managedWorkflowAndDependentResourceContext();
    workflowContext.put(Pipeline.class, pipeline);
    workflowContext.put(SearchClients.class, clients);
    workflowContext.put(KafkaClients.class, kafkaClients);
    workflowContext.put(KafkaObservations.class, new KafkaObservations());
    workflowContext.put(SearchConnectionOnce.class, new SearchConnectionOnce());
  }

  /** Records whether the pipeline owns the topic it names (cleanup only: a refused one does not). */
  static void topicOwned(Context<LogPipeline> context, boolean owned) {
    context.managedWorkflowAndDependentResourceContext().put(TopicOwned.class, new TopicOwned(owned));
  }

  /** Whether the topic is the pipeline's to delete; true unless a cleanup found it another's. */
  static boolean topicOwned(Context<LogPipeline> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .get(TopicOwned.class, TopicOwned.class).map(TopicOwned::owned).orElse(true);
  }

  private record TopicOwned(boolean owned) {}

  static Pipeline pipeline(Context<LogPipeline> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(Pipeline.class, Pipeline.class);
  }

  static SearchClients searchClients(Context<LogPipeline> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(SearchClients.class, SearchClients.class);
  }

  static KafkaClients kafkaClients(Context<LogPipeline> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(KafkaClients.class, KafkaClients.class);
  }

  static KafkaObservations kafka(Context<LogPipeline> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(KafkaObservations.class, KafkaObservations.class);
  }

  /**
   * The search cluster's connection, its Secrets read once per reconcile: the index template,
   * the dead-letter template and the flow observer all use it. A failed read is not kept, so
   * each user reports it.
   */
  static SearchConnection searchConnection(Context<LogPipeline> context, Supplier<SearchConnection> read) {
    return context.managedWorkflowAndDependentResourceContext()
        .get(SearchConnectionOnce.class, SearchConnectionOnce.class)
        .map(once -> once.get(read))
        .orElseGet(read);
  }

  private static final class SearchConnectionOnce {
    private SearchConnection connection;

    synchronized SearchConnection get(Supplier<SearchConnection> read) {
      if (connection == null) {
        connection = read.get();
      }
      return connection;
    }
  }
}
