package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.spy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.Pipeline;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Deployment of earlier versions: never created, named so that JOSDK finds it, and removed
 * only once the StatefulSet that replaces it has rolled out to every replica.
 */
@EnableKubernetesMockClient(crud = true)
class LogstashLegacyDeploymentDependentTest {

  static KubernetesClient client;

  final LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");

  StubbedContext context() {
    return new StubbedContext(client).forDependents(StubbedContext.valid(lp), InMemorySearch.clients(),
        new KafkaClients(c -> null));
  }

  Deployment legacy(String name) {
    return client.resource(new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("logging")
        .endMetadata().withNewSpec().withReplicas(2).endSpec().build()).create();
  }

  @Test
  void onlyItsNameIsDesired() {
    Deployment desired = new LogstashLegacyDeploymentDependent().desired(lp, context().context);
    assertThat(desired.getMetadata().getName()).isEqualTo("app-logstash");
    assertThat(desired.getMetadata().getNamespace()).isEqualTo("logging");
    assertThat(desired.getSpec()).isNull();
  }

  @Test
  void theDeploymentStaysUntilTheStatefulSetHasRolledOut() {
    Deployment deployment = legacy("app-logstash");
    var dependent = spy(new LogstashLegacyDeploymentDependent());
    doReturn(Optional.of(deployment)).when(dependent).getSecondaryResource(any(), any());

    StubbedContext noStatefulSet = context();
    ReconcileResult<Deployment> result = dependent.reconcile(lp, noStatefulSet.context);
    assertThat(result.getSingleOperation()).isEqualTo(ReconcileResult.Operation.NONE);
    assertThat(result.getSingleResource()).contains(deployment);
    assertThat(client.resource(deployment).get()).isNotNull();

    StubbedContext rollingOut = context().with(LogstashStatefulSetDependentTest.statefulSet(2, 2L, 2L, 1, 2));
    dependent.reconcile(lp, rollingOut.context);
    assertThat(client.resource(deployment).get()).isNotNull();

    StubbedContext ready = context().with(LogstashStatefulSetDependentTest.statefulSet(2, 2L, 2L, 2, 2));
    dependent.reconcile(lp, ready.context);
    assertThat(client.resource(deployment).get()).isNull();

    // Owned: the garbage collector removes it with the LogPipeline, not this dependent.
    Deployment again = legacy("app-logstash");
    dependent.delete(lp, ready.context);
    assertThat(client.resource(again).get()).isNotNull();
  }

  @Test
  void withoutALegacyDeploymentThereIsNothingToDo() {
    var dependent = spy(new LogstashLegacyDeploymentDependent());
    doReturn(Optional.empty()).when(dependent).getSecondaryResource(any(), any());
    ReconcileResult<Deployment> result = dependent.reconcile(lp,
        context().with(LogstashStatefulSetDependentTest.statefulSet(2, 2L, 2L, 2, 2)).context);
    assertThat(result.getResourceOperations()).isEmpty();
    assertThat(result.getSingleResource()).isEmpty();
  }
}
