package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.logpipeline.operator.model.Pipeline;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.logpipeline.operator.api.LogPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The Logstash Deployment of earlier versions, with its queue in memory: never created, removed
 * once the StatefulSet that replaces it has all its replicas ready. Until then both consume the
 * topic in the one consumer group; the offsets are in Kafka, so the StatefulSet goes on where the
 * Deployment's pods stopped.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.INDEXER))
public class LogstashLegacyDeploymentDependent extends KubernetesDependentResource<Deployment, LogPipeline>
    implements GarbageCollected<LogPipeline> {

  private static final Logger log = LoggerFactory.getLogger(LogstashLegacyDeploymentDependent.class);

  public LogstashLegacyDeploymentDependent() {
    super(Deployment.class);
  }

  /** Only its name: JOSDK finds the secondary by it. Never created. */
  @Override
  protected Deployment desired(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    return new DeploymentBuilder().withNewMetadata().withName(p.indexerName()).withNamespace(p.namespace())
        .endMetadata().build();
  }

  @Override
  public ReconcileResult<Deployment> reconcile(LogPipeline primary, Context<LogPipeline> context) {
    Optional<Deployment> legacy = getSecondaryResource(primary, context);
    StatefulSet statefulSet = context.getSecondaryResource(StatefulSet.class).orElse(null);
    if (legacy.isPresent() && LogstashStatefulSetDependent.rolledOut(statefulSet)) {
      log.info("the Logstash StatefulSet is ready: removing the Deployment {} it replaces",
          legacy.get().getMetadata().getName());
      // Its pods stop as on any rollout: Logstash finishes the events in flight, the consumer
      // commits, the StatefulSet's replicas take the partitions over.
      context.getClient().resource(legacy.get()).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
    }
    return ReconcileResult.noOperation(legacy.orElse(null));
  }

  @Override
  public void delete(LogPipeline primary, Context<LogPipeline> context) {
    // Owned: Kubernetes' garbage collector removes it with the LogPipeline.
  }
}
