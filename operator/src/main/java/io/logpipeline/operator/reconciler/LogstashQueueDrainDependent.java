package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.QueueDrain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.Set;

/**
 * The queue volumes of Logstash replicas that are gone. Nothing owns them: the StatefulSet
 * controller creates a claim per replica and keeps it when the replica is scaled away. This
 * dependent drains each such claim with a Job ({@link QueueDrain}) and deletes it once the Job
 * succeeded; on deletion of the pipeline under {@code deletionPolicy: Delete} it first scales the
 * StatefulSet to zero, then does the same for every claim.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.INDEXER))
public class LogstashQueueDrainDependent extends KubernetesDependentResource<PersistentVolumeClaim, LogPipeline>
    implements Deleter<LogPipeline> {

  private static final Logger log = LoggerFactory.getLogger(LogstashQueueDrainDependent.class);

  public LogstashQueueDrainDependent() {
    super(PersistentVolumeClaim.class);
  }

  /** A claim belongs to the pipeline its annotation names, copied from the claim template. */
  @Override
  protected Optional<SecondaryToPrimaryMapper<PersistentVolumeClaim>> getSecondaryToPrimaryMapper(
      EventSourceContext<LogPipeline> context) {
    return Optional.of(claim -> {
      var annotations = claim.getMetadata().getAnnotations();
      String name = annotations == null ? null : annotations.get(IndexerModel.PIPELINE_ANNOTATION);
      return name == null ? Set.of() : Set.of(new ResourceID(name, claim.getMetadata().getNamespace()));
    });
  }

  @Override
  public ReconcileResult<PersistentVolumeClaim> reconcile(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    carryOut(p, plan(p, context, IndexerModel.replicas(p)),
        primary, context);
    return ReconcileResult.noOperation(null);
  }

  /**
   * Under {@code deletionPolicy: Delete}: no replica left, every volume drained, then deleted.
   * Under Retain, or with the skip-external-cleanup annotation (draining needs the search
   * cluster), the volumes are kept.
   */
  @Override
  public void delete(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    if (keepsVolumes(p, primary)) {
      return;
    }
    boolean anyClaim = context.getSecondaryResources(PersistentVolumeClaim.class).stream()
        .anyMatch(c -> QueueDrain.ordinal(p, c.getMetadata().getName()).isPresent());
    // Without volumes (no persistent queue) there is nothing to drain: the garbage collector
    // stops the pods, which drain what they hold in memory as they stop.
    context.getSecondaryResource(StatefulSet.class).filter(s -> anyClaim).ifPresent(statefulSet -> {
      Integer replicas = statefulSet.getSpec() == null ? null : statefulSet.getSpec().getReplicas();
      if (replicas == null || replicas > 0) {
        log.info("scaling Logstash to 0 to drain its queue volumes before they are deleted");
        // Its pods drain their queues as they stop (queue.drain); the Jobs take what is left.
        StatefulSet scaled = new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(statefulSet)
            .editSpec().withReplicas(0).endSpec().build();
        context.getClient().resource(scaled).update();
      }
    });
    carryOut(p, plan(p, context, 0), primary, context);
  }

  static boolean keepsVolumes(Pipeline p, LogPipeline primary) {
    return p.spec().getDeletionPolicy() == DeletionPolicy.Retain
        || IndexTemplateDependent.skipsExternalCleanup(primary);
  }

  /** The drain plan from the caches: the StatefulSet, the pipeline's claims and drain Jobs. */
  static QueueDrain.Plan plan(Pipeline p, Context<LogPipeline> context, int keep) {
    return QueueDrain.plan(p, IndexerModel.configMap(p),
        context.getSecondaryResource(StatefulSet.class).orElse(null),
        context.getSecondaryResources(PersistentVolumeClaim.class),
        context.getSecondaryResources(Job.class), keep);
  }

  private static void carryOut(Pipeline p, QueueDrain.Plan plan, LogPipeline primary, Context<LogPipeline> context) {
    var client = context.getClient();
    for (Job job : plan.createJobs()) {
      log.info("draining queue volume {} with Job {}", job.getMetadata().getAnnotations()
          .get(QueueDrain.CLAIM_ANNOTATION), job.getMetadata().getName());
      job.addOwnerReference(primary);
      try {
        Job created = client.resource(job).create();
        // Into the informer's cache at once: a reconcile before the watch event must not create it again.
        jobs(context).ifPresent(jobs -> jobs.handleRecentResourceCreate(ResourceID.fromResource(created), created));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Created by an earlier reconcile whose result the cache has not seen yet.
      }
    }
    for (PersistentVolumeClaim claim : plan.deleteClaims()) {
      log.info("queue volume {} drained: deleting it", claim.getMetadata().getName());
      client.resource(claim).delete();
    }
    for (Job job : plan.deleteJobs()) {
      client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
    if (!plan.failed().isEmpty()) {
      log.warn("drain failed, volumes kept: {}", plan.failed());
    }
  }

  @SuppressWarnings("unchecked")
  private static Optional<InformerEventSource<Job, LogPipeline>> jobs(Context<LogPipeline> context) {
    var source = context.eventSourceRetriever().getEventSourceFor(Job.class);
    return source instanceof InformerEventSource<?, ?> informer
        ? Optional.of((InformerEventSource<Job, LogPipeline>) informer) : Optional.empty();
  }

  /**
   * Deletion may go on to what the volumes depend on (the index templates) only once no
   * volume is left to drain, or the volumes are kept.
   */
  public static class Drained implements Condition<PersistentVolumeClaim, LogPipeline> {
    @Override
    public boolean isMet(DependentResource<PersistentVolumeClaim, LogPipeline> dependentResource,
        LogPipeline primary, Context<LogPipeline> context) {
      Pipeline p = PipelineContext.pipeline(context);
      if (keepsVolumes(p, primary)) {
        return true;
      }
      boolean anyClaim = context.getSecondaryResources(PersistentVolumeClaim.class).stream()
          .anyMatch(c -> QueueDrain.ordinal(p, c.getMetadata().getName()).isPresent());
      return !anyClaim && context.getSecondaryResources(Job.class).isEmpty();
    }
  }
}
