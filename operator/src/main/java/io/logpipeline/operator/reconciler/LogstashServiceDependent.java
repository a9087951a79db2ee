package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.IndexerModel;

/** The Service in front of Logstash's monitoring API. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.INDEXER))
public class LogstashServiceDependent extends OwnedDependent<Service> {

  public LogstashServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(LogPipeline primary, Context<LogPipeline> context) {
    return IndexerModel.service(PipelineContext.pipeline(context));
  }
}
