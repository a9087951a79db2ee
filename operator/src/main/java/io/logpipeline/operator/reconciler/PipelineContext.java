package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.model.Pipeline;

/**
 * What the reconciler hands its dependents for one reconcile: the validated pipeline (resolved
 * once, so every dependent builds from the same value) and the search clients.
 */
final class PipelineContext {

  private PipelineContext() {}

  static void put(Context<LogPipeline> context, Pipeline pipeline, SearchClients clients) {
    var workflowContext = context.managedWorkflowAndDependentResourceContext();
    workflowContext.put(Pipeline.class, pipeline);
    workflowContext.put(SearchClients.class, clients);
  }

  static Pipeline pipeline(Context<LogPipeline> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(Pipeline.class, Pipeline.class);
  }

  static SearchClients searchClients(Context<LogPipeline> context) {
    return context.managedWorkflowAndDependentResourceContext()
        .getMandatory(SearchClients.class, SearchClients.class);
  }
}
