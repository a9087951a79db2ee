package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.IndexerModel;

/** The ConfigMap with logstash.yml, pipelines.yml and the pipeline. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.INDEXER))
public class LogstashConfigMapDependent extends OwnedDependent<ConfigMap> {

  public LogstashConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(LogPipeline primary, Context<LogPipeline> context) {
    return IndexerModel.configMap(PipelineContext.pipeline(context));
  }
}
