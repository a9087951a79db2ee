package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;

import java.util.Objects;

/**
 * The Logstash StatefulSet. It depends on the index templates in the workflow: no replica runs
 * before the templates are in the search cluster, or the first documents would create indices
 * with guessed mappings (or, on Elasticsearch 8, data streams of its built-in logs-*-*).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.INDEXER))
public class LogstashStatefulSetDependent extends OwnedDependent<StatefulSet> {

  public LogstashStatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(LogPipeline primary, Context<LogPipeline> context) {
    StatefulSet desired = IndexerModel.statefulSet(PipelineContext.pipeline(context));
    // After the credentials dependent (dependsOn): the version of the copy it just wrote.
    KafkaSecurity.secretVersion(desired.getSpec().getTemplate(),
        PipelineContext.kafka(context).secretVersion(Role.INDEXER));
    return desired;
  }

  /** Whether the controller has rolled out the current spec and every replica is ready. */
  static boolean rolledOut(StatefulSet statefulSet) {
    if (statefulSet == null || statefulSet.getStatus() == null || statefulSet.getSpec() == null) {
      return false;
    }
    var status = statefulSet.getStatus();
    int replicas = Objects.requireNonNullElse(statefulSet.getSpec().getReplicas(), 1);
    return Objects.equals(status.getObservedGeneration(), statefulSet.getMetadata().getGeneration())
        && Objects.requireNonNullElse(status.getReadyReplicas(), 0) >= replicas
        && Objects.requireNonNullElse(status.getUpdatedReplicas(), 0) >= replicas;
  }
}
