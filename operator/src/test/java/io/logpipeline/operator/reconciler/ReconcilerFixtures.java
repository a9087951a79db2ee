package io.logpipeline.operator.reconciler;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;

import java.util.function.Consumer;

/**
 * What the reconciler's unit tests stand in for: JOSDK's {@link Context} (a Mockito mock) with a
 * workflow context that keeps what is put in it, as JOSDK's does, and the pipelines they start from.
 */
final class ReconcilerFixtures {

  private ReconcilerFixtures() {}

  /** A LogPipeline "app" in namespace "team-a" on Strimzi Kafka "my-cluster", edited. */
  static LogPipeline logPipeline(Consumer<LogPipelineSpec> edit) {
    LogPipeline lp = TestLogPipelines.minimal("app", "team-a", "https://search.example.com:9200");
    lp.getMetadata().setUid("uid-app");
    lp.getMetadata().setGeneration(1L);
    edit.accept(lp.getSpec());
    return lp;
  }

  static Pipeline pipeline(LogPipeline lp) {
    try {
      return Pipeline.resolve(lp);
    } catch (InvalidSpecException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  static Pipeline pipeline(Consumer<LogPipelineSpec> edit) {
    return pipeline(logPipeline(edit));
  }

  /** A Context whose workflow context stores values and counts workflow runs; client may be null. */
  @SuppressWarnings("unchecked")
  static <P extends HasMetadata> Context<P> context(KubernetesClient client) {
    Context<P> context = mock(Context.class);
    StubbedContext.Workflow workflow = new StubbedContext.Workflow();
    when(context.managedWorkflowAndDependentResourceContext()).thenReturn(workflow);
    when(context.getClient()).thenReturn(client);
    return context;
  }

  /** The workflow context of a {@link #context}: its values, and how often the workflow ran. */
  static StubbedContext.Workflow workflow(Context<?> context) {
    return (StubbedContext.Workflow) context.managedWorkflowAndDependentResourceContext();
  }
}
