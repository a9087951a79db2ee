package io.logpipeline.operator.reconciler;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowCleanupResult;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
    WorkflowContext workflow = new WorkflowContext();
    when(context.managedWorkflowAndDependentResourceContext()).thenReturn(workflow);
    when(context.getClient()).thenReturn(client);
    return context;
  }

  static WorkflowContext workflow(Context<?> context) {
    return (WorkflowContext) context.managedWorkflowAndDependentResourceContext();
  }

  /** JOSDK's map of values per reconcile, and how often the workflow was run. */
  static final class WorkflowContext implements ManagedWorkflowAndDependentResourceContext {
    final Map<Object, Object> values = new HashMap<>();
    int reconciles;

    @Override
    public <T> Optional<T> get(Object key, Class<T> type) {
      return Optional.ofNullable(values.get(key)).map(type::cast);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T put(Object key, T value) {
      return (T) values.put(key, value);
    }

    @Override
    public <T> T getMandatory(Object key, Class<T> type) {
      return get(key, type).orElseThrow(() -> new IllegalStateException("no " + key));
    }

    @Override
    public Optional<WorkflowReconcileResult> getWorkflowReconcileResult() {
      return Optional.empty();
    }

    @Override
    public Optional<WorkflowCleanupResult> getWorkflowCleanupResult() {
      return Optional.empty();
    }

    @Override
    public WorkflowReconcileResult reconcileManagedWorkflow() {
      reconciles++;
      return null;
    }

    @Override
    public WorkflowCleanupResult cleanupManageWorkflow() {
      return null;
    }
  }
}
