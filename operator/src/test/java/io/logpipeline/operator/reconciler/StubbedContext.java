package io.logpipeline.operator.reconciler;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.ManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowCleanupResult;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.TopicClaims;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * JOSDK's {@code Context<LogPipeline>} for unit tests of the reconciler and its dependents: the
 * client is a real one (on a mock API server), the informers' caches are lists the test fills,
 * and the managed workflow is a map of values plus results the test decides. No operator runs.
 */
final class StubbedContext {

  final Context<LogPipeline> context;
  final KubernetesClient client;
  /** What the informers hold, by kind. */
  final Map<Class<?>, List<Object>> secondaries = new ConcurrentHashMap<>();
  final List<ShipperClass> shipperClasses = new ArrayList<>();
  /** The LogPipelines in the controller's own cache, indexed by topic as the reconciler indexes them. */
  final List<LogPipeline> pipelines = new ArrayList<>();
  final Workflow workflow = new Workflow();
  final EventSourceRetriever<LogPipeline> retriever;

  @SuppressWarnings("unchecked")
  StubbedContext(KubernetesClient client) {
    this.client = client;
    this.context = mock(Context.class);
    when(context.getClient()).thenReturn(client);
    when(context.getSecondaryResource(any(Class.class))).thenAnswer(
        i -> secondaries.getOrDefault(i.getArgument(0), List.of()).stream().findFirst());
    when(context.getSecondaryResource(any(Class.class), anyString())).thenAnswer(
        i -> secondaries.getOrDefault(i.getArgument(0), List.of()).stream().findFirst());
    when(context.getSecondaryResources(any(Class.class))).thenAnswer(
        i -> new LinkedHashSet<>(secondaries.getOrDefault(i.getArgument(0), List.of())));
    when(context.getSecondaryResourcesAsStream(any(Class.class))).thenAnswer(
        i -> secondaries.getOrDefault(i.getArgument(0), List.of()).stream());
    retriever = mock(EventSourceRetriever.class);
    when(context.eventSourceRetriever()).thenReturn(retriever);
    InformerEventSource<ShipperClass, LogPipeline> classes = mock(InformerEventSource.class);
    when(classes.list()).thenAnswer(i -> List.copyOf(shipperClasses).stream());
    when(retriever.getEventSourceFor(ShipperClass.class, ShipperClassEvents.NAME)).thenReturn(classes);
    when(retriever.getControllerEventSource()).thenReturn(mock(ControllerEventSource.class));
    when(context.managedWorkflowAndDependentResourceContext()).thenReturn(workflow);
    IndexedResourceCache<LogPipeline> primaries = mock(IndexedResourceCache.class);
    when(primaries.byIndex(eq(TopicClaims.INDEX), anyString())).thenAnswer(i -> pipelines.stream()
        .filter(lp -> TopicClaims.keys(lp).contains(i.getArgument(1, String.class))).toList());
    when(primaries.list()).thenAnswer(i -> List.copyOf(pipelines).stream());
    when(context.getPrimaryCache()).thenReturn(primaries);
  }

  /** The validated pipeline of a spec the test knows to be valid. */
  static Pipeline valid(LogPipeline lp) {
    try {
      return Pipeline.resolve(lp);
    } catch (io.logpipeline.operator.model.InvalidSpecException e) {
      throw new AssertionError("the test's spec is invalid: " + e.problems(), e);
    }
  }

  /** Adds objects to the informers' caches. */
  StubbedContext with(HasMetadata... resources) {
    for (HasMetadata r : resources) {
      secondaries.computeIfAbsent(r.getClass(), c -> new ArrayList<>()).add(r);
    }
    return this;
  }

  /** The values the reconciler hands the dependents, as it puts them before the workflow runs. */
  StubbedContext forDependents(Pipeline p, SearchClients search, KafkaClients kafka) {
    PipelineContext.put(context, p, search, kafka);
    return this;
  }

  /** The managed workflow: values by key, and results the test sets. */
  @SuppressWarnings("rawtypes")
  static final class Workflow implements ManagedWorkflowAndDependentResourceContext {
    private final Map<Object, Object> values = new ConcurrentHashMap<>();
    /** Dependents that failed in the next reconcile or cleanup of the workflow. */
    final Map<DependentResource, Exception> errored = new LinkedHashMap<>();
    /** Whether every delete postcondition is met in the next cleanup. */
    boolean postConditionsMet = true;
    /** Run as the workflow runs, as the dependents would (e.g. to leave Kafka observations). */
    Consumer<Workflow> dependents = w -> {};
    int reconciles;
    int cleanups;

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
      dependents.accept(this);
      Map<DependentResource, Exception> failed = Map.copyOf(errored);
      return new WorkflowReconcileResult() {
        @Override
        public Map<DependentResource, Exception> getErroredDependents() {
          return failed;
        }
      };
    }

    @Override
    public WorkflowCleanupResult cleanupManageWorkflow() {
      cleanups++;
      dependents.accept(this);
      Map<DependentResource, Exception> failed = Map.copyOf(errored);
      boolean met = postConditionsMet;
      return new WorkflowCleanupResult() {
        @Override
        public Map<DependentResource, Exception> getErroredDependents() {
          return failed;
        }

        @Override
        public boolean allPostConditionsMet() {
          return met;
        }

        @Override
        public boolean erroredDependentsExist() {
          return !failed.isEmpty();
        }

        @Override
        public void throwAggregateExceptionIfErrorsPresent() {
          if (!failed.isEmpty()) {
            Map<String, Exception> byName = new LinkedHashMap<>();
            failed.forEach((d, e) -> byName.put(d.name(), e));
            throw new AggregatedOperatorException("cleanup failed", byName);
          }
        }
      };
    }
  }
}
