package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.logpipeline.operator.ApiSemantics;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.logpipeline.operator.runtime.TestPipelines.awaitPhase;
import static io.logpipeline.operator.runtime.TestPipelines.get;
import static io.logpipeline.operator.runtime.TestPipelines.sample;
import static io.logpipeline.operator.runtime.TestPipelines.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two operator instances, each with its own client, against one mock API server: one holds the
 * Lease and reconciles, the other stands by ready and takes over when the leader stops.
 */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {

  static final String NS = "logging";
  static final String LEASE_NS = "operators";
  /** A lease a standby would wait out only if the Lease were not handed over. */
  static final Duration LONG_LEASE = Duration.ofSeconds(30);
  /** A lease short enough to wait out in a test. */
  static final Duration SHORT_LEASE = Duration.ofSeconds(2);

  static KubernetesMockServer server;
  static KubernetesClient client;

  final List<OperatorRuntime> runtimes = new ArrayList<>();
  final List<KubernetesClient> clients = new ArrayList<>();
  final AtomicInteger lostLeadership = new AtomicInteger();

  @BeforeAll
  static void installCrd() {
    ApiSemantics.apply(server, client);
  }

  @BeforeEach
  void allowLeases() {
    // JOSDK checks with a SelfSubjectRulesReview that it may get, create and update Leases; the
    // mock server in CRUD mode would echo the review back without a status.
    SelfSubjectRulesReview allowed = new SelfSubjectRulesReviewBuilder()
        .withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                .withVerbs("get", "create", "update").endResourceRule()
        .endStatus().build();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, allowed).always();
  }

  @AfterEach
  void stopAll() {
    runtimes.forEach(OperatorRuntime::close);
    clients.forEach(KubernetesClient::close);
  }

  OperatorRuntime start(String identity, Duration lease) throws Exception {
    KubernetesClient own = server.createClient(b -> b.editOrNewConfig().withUserAgent(identity).endConfig());
    clients.add(own);
    var election = LogPipelineOperator.LeaderElection.of(LEASE_NS, identity)
        .withTimings(lease, lease.minusMillis(500), Duration.ofMillis(200))
        .withOnLostLeadership(lostLeadership::incrementAndGet);
    OperatorRuntime runtime = OperatorRuntime.start(own, SearchClients.http(),
        LogPipelineOperator.Options.defaults()
            .withRetry(Duration.ofMillis(200), Duration.ofSeconds(2))
            .withShutdownTimeout(Duration.ofSeconds(5))
            .withLeaderElection(election),
        new OperatorRuntime.Endpoints("127.0.0.1", 0, 0));
    runtimes.add(runtime);
    return runtime;
  }

  Lease lease() {
    return client.leases().inNamespace(LEASE_NS)
        .withName(LogPipelineOperator.LeaderElection.DEFAULT_LEASE_NAME).get();
  }

  String holder() {
    Lease lease = lease();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  /**
   * The writes each client made since the last call (by User-Agent), leaving out what every
   * candidate does to elect a leader: Lease updates and the access review of its permissions.
   */
  static Map<String, List<String>> writesByClient() throws InterruptedException {
    Map<String, List<String>> writes = new HashMap<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if ("GET".equals(r.getMethod()) || r.getPath().contains("/leases") || r.getPath().contains("reviews")) {
        continue;
      }
      writes.computeIfAbsent(r.getHeader("User-Agent"), k -> new ArrayList<>())
          .add(r.getMethod() + " " + r.getPath());
    }
    return writes;
  }

  static String metrics(OperatorRuntime runtime) throws Exception {
    return get(runtime.metricsPort(), "/metrics").body();
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItStops() throws Exception {
    OperatorRuntime a = start("operator-a", LONG_LEASE);
    await().atMost(Duration.ofSeconds(30)).until(() -> "operator-a".equals(holder()));
    OperatorRuntime b = start("operator-b", LONG_LEASE);
    assertThat(lease().getSpec().getLeaseDurationSeconds()).isEqualTo(30);

    client.resource(TestPipelines.paused(NS, "resting")).create();
    awaitPhase(client, NS, "resting", Phase.Paused);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(sum(metrics(a), "operator_sdk_reconciliations_started_total")).isGreaterThanOrEqualTo(1));
    // The standby has seen the pipeline (its cache is warm) but has not reconciled it.
    String standby = metrics(b);
    assertThat(sum(standby, "operator_sdk_reconciliations_started_total")).isZero();
    assertThat(sample(standby, "logpipeline_pipelines{phase=\"Paused\"}")).isEqualTo(1.0);
    assertThat(sample(standby, "logpipeline_operator_leader")).isEqualTo(0.0);
    assertThat(sample(metrics(a), "logpipeline_operator_leader")).isEqualTo(1.0);
    // Both are ready: the standby is healthy, just not leading.
    assertThat(get(a.healthPort(), "/readyz").body()).isEqualTo("ok (leader)\n");
    assertThat(get(b.healthPort(), "/readyz").statusCode()).isEqualTo(200);
    assertThat(get(b.healthPort(), "/readyz").body()).isEqualTo("ok (standby)\n");
    assertThat(holder()).isEqualTo("operator-a");
    // Only the leader writes; the standby's only writes would be to take the Lease.
    Map<String, List<String>> writes = writesByClient();
    assertThat(writes.getOrDefault("operator-b", List.of())).as("the standby's writes").isEmpty();
    assertThat(writes.get("operator-a")).as("the leader's writes")
        .anyMatch(w -> w.startsWith("PUT /apis/logpipeline.io/v1alpha1/namespaces/logging/logpipelines/resting/status"));

    long stopped = System.nanoTime();
    a.close();
    // a released the Lease on its way out: b takes it at its next try (every 200 ms), long
    // before the 30 s lease could have expired. (A slow machine may take seconds; not 30.)
    await().atMost(LONG_LEASE.minusSeconds(5)).pollInterval(Duration.ofMillis(50))
        .until(() -> "operator-b".equals(holder()));
    Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
    System.out.printf("RELIABILITY leader-election: released Lease taken over in %d ms (lease %d s)%n",
        takeover.toMillis(), LONG_LEASE.toSeconds());
    // The new leader reconciles what is in its cache.
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(sum(metrics(b), "operator_sdk_reconciliations_started_total")).isGreaterThanOrEqualTo(1));
    assertThat(sample(metrics(b), "logpipeline_operator_leader")).isEqualTo(1.0);
    assertThat(get(b.healthPort(), "/readyz").body()).isEqualTo("ok (leader)\n");
    assertThat(lease().getSpec().getLeaseTransitions()).isGreaterThanOrEqualTo(1);
    assertThat(lostLeadership).as("a stop is not a lost leadership").hasValue(0);
  }

  @Test
  void aLeaderThatStopsWithoutReleasingIsReplacedWhenTheLeaseExpires() throws Exception {
    OperatorRuntime a = start("operator-a", SHORT_LEASE);
    await().atMost(Duration.ofSeconds(30)).until(() -> "operator-a".equals(holder()));
    OperatorRuntime b = start("operator-b", SHORT_LEASE);

    // As if a's process died: JOSDK stops, nothing hands the Lease over. (a may renew once more
    // before it stops: its last renewal is this one or later.)
    Lease last = lease();
    assertThat(last.getSpec().getHolderIdentity()).isEqualTo("operator-a");
    long stopped = System.nanoTime();
    a.operator().operator().stop();
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> "operator-b".equals(holder()));
    Duration takeover = Duration.ofNanos(System.nanoTime() - stopped);
    // Not before the lease had expired: b acquired it at least a lease duration after a's
    // renewal. (Later is only a slower machine.)
    Lease taken = lease();
    assertThat(Duration.between(last.getSpec().getRenewTime(), taken.getSpec().getAcquireTime()))
        .as("from a's last renewal to b's acquisition").isGreaterThanOrEqualTo(SHORT_LEASE);
    System.out.printf("RELIABILITY leader-election: expired Lease taken over in %d ms (lease %d s)%n",
        takeover.toMillis(), SHORT_LEASE.toSeconds());
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(sample(metrics(b), "logpipeline_operator_leader")).isEqualTo(1.0));
    client.resource(TestPipelines.invalid(NS, "broken")).create();
    awaitPhase(client, NS, "broken", Phase.Failed);
    assertThat(sum(metrics(b), "operator_sdk_reconciliations_started_total")).isGreaterThanOrEqualTo(1);
  }
}
