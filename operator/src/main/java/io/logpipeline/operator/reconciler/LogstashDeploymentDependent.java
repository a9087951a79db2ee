package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.IndexerModel;

/** The Logstash Deployment. */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.INDEXER))
public class LogstashDeploymentDependent extends OwnedDependent<Deployment> {

  public LogstashDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(LogPipeline primary, Context<LogPipeline> context) {
    Deployment desired = IndexerModel.deployment(PipelineContext.pipeline(context));
    // After the credentials dependent (dependsOn): the version of the copy it just wrote.
    KafkaSecurity.secretVersion(desired.getSpec().getTemplate(),
        PipelineContext.kafka(context).secretVersion(Role.INDEXER));
    return desired;
  }
}
