package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator.Flow;
import io.logpipeline.operator.reconciler.LogPipelineOperator.LeaderElection;
import io.logpipeline.operator.reconciler.LogPipelineOperator.Options;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's options, leader election settings, Strimzi discovery and its lifecycle without
 * starting: what closing does (the Lease handed over, the clients closed, once).
 */
@EnableKubernetesMockClient(crud = true)
class LogPipelineOperatorTest {

  static KubernetesClient client;

  final SearchClients search = mock(SearchClients.class);
  final KafkaClients kafka = mock(KafkaClients.class);

  @AfterEach
  void clean() {
    client.leases().inAnyNamespace().delete();
  }

  static final Options BASE = new Options(Set.of("a"), Duration.ofSeconds(1), Duration.ofSeconds(2),
      Duration.ofSeconds(3), Duration.ofSeconds(4), null, null, Duration.ofSeconds(5), null, "ops", Duration.ofSeconds(6));

  @Test
  void theDefaultsWatchEverywhereAndWaitForFilebeatToReload() {
    Options d = Options.defaults();
    assertThat(d.namespaces()).isEmpty();
    assertThat(d.templateRecheck()).isEqualTo(Duration.ofMinutes(10));
    assertThat(d.retryInitial()).isEqualTo(Duration.ofSeconds(2));
    assertThat(d.retryMax()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.referenceRecheck()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.meterRegistry()).isNull();
    assertThat(d.leaderElection()).isNull();
    assertThat(d.flow()).isNull();
    assertThat(d.shutdownTimeout()).isEqualTo(Options.DEFAULT_SHUTDOWN_TIMEOUT).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.inputReloadWait()).isEqualTo(Options.DEFAULT_INPUT_RELOAD_WAIT).isEqualTo(Duration.ofSeconds(130));
    assertThat(Flow.defaults()).isEqualTo(new Flow(Duration.ofMinutes(1), Duration.ofMinutes(5), true));
  }

  @Test
  void eachWitherChangesItsOptionOnly() {
    var registry = new SimpleMeterRegistry();
    LeaderElection election = LeaderElection.of("ops", "me");
    Flow flow = Flow.defaults();
    Duration d = Duration.ofMillis(7);
    assertThat(BASE.withNamespaces(Set.of("b"))).isEqualTo(new Options(Set.of("b"), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), null, null, Duration.ofSeconds(5), null, "ops",
        Duration.ofSeconds(6)));
    assertThat(BASE.withTemplateRecheck(d)).isEqualTo(new Options(Set.of("a"), d, Duration.ofSeconds(2),
        Duration.ofSeconds(3), Duration.ofSeconds(4), null, null, Duration.ofSeconds(5), null, "ops", Duration.ofSeconds(6)));
    assertThat(BASE.withRetry(d, d.plusMillis(1))).isEqualTo(new Options(Set.of("a"), Duration.ofSeconds(1), d,
        d.plusMillis(1), Duration.ofSeconds(4), null, null, Duration.ofSeconds(5), null, "ops", Duration.ofSeconds(6)));
    assertThat(BASE.withReferenceRecheck(d)).isEqualTo(new Options(Set.of("a"), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), d, null, null, Duration.ofSeconds(5), null, "ops", Duration.ofSeconds(6)));
    assertThat(BASE.withMeterRegistry(registry)).isEqualTo(new Options(Set.of("a"), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), registry, null, Duration.ofSeconds(5), null,
        "ops", Duration.ofSeconds(6)));
    assertThat(BASE.withLeaderElection(election)).isEqualTo(new Options(Set.of("a"), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), null, election, Duration.ofSeconds(5), null,
        "ops", Duration.ofSeconds(6)));
    assertThat(BASE.withShutdownTimeout(d)).isEqualTo(new Options(Set.of("a"), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), null, null, d, null, "ops", Duration.ofSeconds(6)));
    assertThat(BASE.withFlow(flow)).isEqualTo(new Options(Set.of("a"), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(3), Duration.ofSeconds(4), null, null, Duration.ofSeconds(5), flow, "ops", Duration.ofSeconds(6)));
    assertThat(BASE.withOperatorNamespace("elsewhere")).isEqualTo(new Options(Set.of("a"), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), null, null, Duration.ofSeconds(5), null,
        "elsewhere", Duration.ofSeconds(6)));
    assertThat(BASE.withInputReloadWait(d)).isEqualTo(new Options(Set.of("a"), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4), null, null, Duration.ofSeconds(5), null, "ops", d));
  }

  @Test
  void leaderElectionDefaultsToClientGosTimingsAndExitsWhenLeadershipIsLost() {
    LeaderElection election = LeaderElection.of("ops", "pod-1");
    assertThat(election.leaseName()).isEqualTo("logpipeline-operator-leader");
    assertThat(election.leaseNamespace()).isEqualTo("ops");
    assertThat(election.identity()).isEqualTo("pod-1");
    assertThat(election.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(election.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(election.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(election.onLostLeadership()).isNotNull();
    assertThat(LeaderElection.exitProcess()).isNotNull();

    Runnable lost = () -> { };
    LeaderElection changed = election.withTimings(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1))
        .withOnLostLeadership(lost);
    assertThat(changed).isEqualTo(new LeaderElection("logpipeline-operator-leader", "ops", "pod-1",
        Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1), lost));
  }

  @Test
  void leaderElectionNeedsItsLeaseAndIdentity() {
    Duration s = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new LeaderElection(null, "ops", "me", s, s, s, () -> { })).hasMessage("leaseName");
    assertThatThrownBy(() -> new LeaderElection("l", null, "me", s, s, s, () -> { })).hasMessage("leaseNamespace");
    assertThatThrownBy(() -> new LeaderElection("l", "ops", null, s, s, s, () -> { })).hasMessage("identity");
    assertThatThrownBy(() -> new LeaderElection("l", "ops", "me", s, s, s, null)).hasMessage("onLostLeadership");
  }

  @Test
  void strimziIsInstalledWhenDiscoveryServesKafkaTopicsOrCannotTell() {
    KubernetesClient served = mock(KubernetesClient.class);
    when(served.getApiResources("kafka.strimzi.io/v1")).thenReturn(new APIResourceList());
    assertThat(LogPipelineOperator.strimziInstalled(served)).isTrue();

    KubernetesClient missing = mock(KubernetesClient.class);
    assertThat(LogPipelineOperator.strimziInstalled(missing)).isFalse();

    KubernetesClient failing = mock(KubernetesClient.class);
    when(failing.getApiResources("kafka.strimzi.io/v1")).thenThrow(new KubernetesClientException("forbidden"));
    assertThat(LogPipelineOperator.strimziInstalled(failing)).isTrue();
  }

  @Test
  void withoutLeaderElectionTheOperatorLeadsUntilClosedAndClosesItsClientsOnce() {
    LogPipelineOperator operator = LogPipelineOperator.create(client, search, kafka,
        Options.defaults().withOperatorNamespace("ops"));
    assertThat(operator.isLeader()).isTrue();
    assertThat(operator.flowObserver()).isEmpty();
    assertThat(operator.cachedPipelines()).isEmpty();
    assertThat(operator.operator()).isNotNull();

    operator.close();
    operator.close();

    assertThat(operator.isLeader()).isFalse();
    verify(search, times(1)).close();
    verify(kafka, times(1)).close();
    // Closed before it started: starting does nothing.
    operator.startAndAwaitSync();
    assertThat(operator.operator().getRuntimeInfo().isStarted()).isFalse();
    assertThat(operator.flowObserver()).isEmpty();
  }

  @Test
  void aStandbyDoesNotLeadAndAnObservedFlowHasItsObserver() {
    LogPipelineOperator operator = LogPipelineOperator.create(client, search, kafka, Options.defaults()
        .withOperatorNamespace("ops").withLeaderElection(LeaderElection.of("ops", "pod-1"))
        .withFlow(Flow.defaults()).withMeterRegistry(new SimpleMeterRegistry()));
    assertThat(operator.isLeader()).isFalse();
    assertThat(operator.flowObserver()).isPresent();
    operator.close();
  }

  static Lease lease(String holder) {
    return client.leases().inNamespace("ops").resource(new LeaseBuilder().withNewMetadata()
        .withName(LeaderElection.DEFAULT_LEASE_NAME).withNamespace("ops").endMetadata()
        .withNewSpec().withHolderIdentity(holder).withLeaseDurationSeconds(15).endSpec().build()).create();
  }

  static Lease lease() {
    return client.leases().inNamespace("ops").withName(LeaderElection.DEFAULT_LEASE_NAME).get();
  }

  @Test
  void closingHandsTheLeaseOverWhenThisInstanceHoldsIt() {
    lease("pod-1");
    LogPipelineOperator.create(client, search, kafka, Options.defaults().withOperatorNamespace("ops")
        .withLeaderElection(LeaderElection.of("ops", "pod-1"))).close();
    assertThat(lease().getSpec().getHolderIdentity()).isNull();
    assertThat(lease().getSpec().getLeaseDurationSeconds()).isEqualTo(1);
    assertThat(lease().getSpec().getRenewTime()).isNotNull();
    verify(kafka).close();
  }

  @Test
  void closingLeavesAnotherInstancesLeaseAlone() {
    lease("pod-2");
    LogPipelineOperator.create(client, search, kafka, Options.defaults().withOperatorNamespace("ops")
        .withLeaderElection(LeaderElection.of("ops", "pod-1"))).close();
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("pod-2");
    assertThat(lease().getSpec().getLeaseDurationSeconds()).isEqualTo(15);

    client.leases().inNamespace("ops").withName(LeaderElection.DEFAULT_LEASE_NAME).delete();
    client.leases().inNamespace("ops").resource(new LeaseBuilder().withNewMetadata()
        .withName(LeaderElection.DEFAULT_LEASE_NAME).withNamespace("ops").endMetadata().build()).create();
    LogPipelineOperator.create(client, search, kafka, Options.defaults().withOperatorNamespace("ops")
        .withLeaderElection(LeaderElection.of("ops", "pod-1"))).close();
    assertThat(lease().getSpec()).isNull();
    verify(search, times(2)).close();
  }
}
