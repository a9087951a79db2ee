package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.IndexerModel;

/** The PodDisruptionBudget that lets node drains take at most one Logstash replica at a time. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.INDEXER))
public class LogstashDisruptionBudgetDependent extends OwnedDependent<PodDisruptionBudget> {

  public LogstashDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(LogPipeline primary, Context<LogPipeline> context) {
    return IndexerModel.disruptionBudget(PipelineContext.pipeline(context));
  }
}
