package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.api.LogPipeline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulated controllers do what the real ones do, so that tests built on them mean something:
 * the garbage collector follows owner references of any kind, from any owner, in cascade, and
 * keeps what another owner still holds; the StatefulSet controller makes its claims; Jobs end.
 */
class SimulatedControllersTest {

  static final String NS = "gc";
  static FaultyApiServer server;
  static KubernetesClient client;
  static SimulatedControllers cluster;

  @BeforeAll
  static void start() {
    server = FaultyApiServer.start();
    client = server.client();
    cluster = SimulatedControllers.start(server.client("controllers", Duration.ofSeconds(10)), 3, Duration.ofSeconds(2));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    client.close();
    server.close();
  }

  static OwnerReference ownedBy(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .withController(true).withBlockOwnerDeletion(true).build();
  }

  static ConfigMap configMap(String name, OwnerReference... owners) {
    return client.resource(new ConfigMapBuilder().withNewMetadata().withName(name).withNamespace(NS)
        .withOwnerReferences(owners).endMetadata().addToData("k", "v").build()).create();
  }

  static StatefulSet statefulSet(String name, String whenDeleted, OwnerReference owner) {
    return client.resource(new StatefulSetBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).withOwnerReferences(owner).endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", name).endSelector()
            .withNewPersistentVolumeClaimRetentionPolicy().withWhenDeleted(whenDeleted).withWhenScaled("Retain")
            .endPersistentVolumeClaimRetentionPolicy()
            .addNewVolumeClaimTemplate().withNewMetadata().withName("queue").endMetadata()
                .withNewSpec().withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec()
            .endVolumeClaimTemplate()
        .endSpec().build()).create();
  }

  LogPipeline owner(String name) {
    return client.resource(TestLogPipelines.minimal(name, NS, "https://es:9200")).create();
  }

  @Test
  void deletingAnOwnerCollectsItsDependentsInCascadeWhateverTheirKind() {
    LogPipeline lp = owner("cascade");
    StatefulSet sts = statefulSet("cascade-logstash", "Delete", ownedBy(lp));
    ConfigMap cm = configMap("cascade-config", ownedBy(lp));
    Job job = client.resource(new JobBuilder().withNewMetadata().withName("cascade-drain").withNamespace(NS)
        .withOwnerReferences(ownedBy(sts)).endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("drain").withImage("busybox")
        .endContainer().withRestartPolicy("Never").endSpec().endTemplate().endSpec().build()).create();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(client.persistentVolumeClaims().inNamespace(NS).withName("queue-cascade-logstash-1").get())
          .isNotNull().satisfies(pvc -> assertThat(pvc.getStatus().getPhase()).isEqualTo("Bound"));
      assertThat(client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get().getStatus()
          .getSucceeded()).isEqualTo(1);
      assertThat(client.apps().statefulSets().inNamespace(NS).withName(sts.getMetadata().getName()).get().getStatus()
          .getReadyReplicas()).isEqualTo(2);
    });

    client.resource(lp).delete();

    // LogPipeline -> StatefulSet -> claims and Job; LogPipeline -> ConfigMap.
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(client.apps().statefulSets().inNamespace(NS).withName(sts.getMetadata().getName()).get()).isNull();
      assertThat(client.configMaps().inNamespace(NS).withName(cm.getMetadata().getName()).get()).isNull();
      assertThat(client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get()).isNull();
      assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel("app", "cascade-logstash").list().getItems())
          .isEmpty();
    });
    assertThat(cluster.collectedObjects()).anyMatch(s -> s.startsWith("PersistentVolumeClaim gc/queue-cascade-logstash-0"));
  }

  @Test
  void claimsRetainedByTheStatefulSetsPolicyOutliveIt() {
    LogPipeline lp = owner("retained");
    StatefulSet sts = statefulSet("retained-logstash", "Retain", ownedBy(lp));
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel("app", "retained-logstash").list()
            .getItems()).hasSize(2).allSatisfy(pvc -> assertThat(pvc.getMetadata().getOwnerReferences()).isEmpty()));
    client.resource(lp).delete();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client.apps().statefulSets().inNamespace(NS).withName(sts.getMetadata().getName()).get()).isNull());
    assertThat(client.persistentVolumeClaims().inNamespace(NS).withLabel("app", "retained-logstash").list().getItems())
        .hasSize(2);
  }

  @Test
  void anObjectWithAnotherOwnerLeftStays() {
    LogPipeline a = owner("owner-a");
    LogPipeline b = owner("owner-b");
    ConfigMap shared = configMap("shared", ownedBy(a), new OwnerReferenceBuilder(ownedBy(b)).withController(false).build());
    client.resource(a).delete();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        client.resources(LogPipeline.class).inNamespace(NS).withName("owner-a").get() == null);
    // Given the collector time to act (it runs on the delete event of owner-a), then: still there.
    await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client.configMaps().inNamespace(NS).withName("shared").get()).isNotNull());
    client.resource(b).delete();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client.configMaps().inNamespace(NS).withName(shared.getMetadata().getName()).get()).isNull());
  }

  @Test
  void anObjectCreatedAfterItsOwnerWasDeletedIsCollected() {
    LogPipeline gone = owner("gone");
    client.resource(gone).delete();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        client.resources(LogPipeline.class).inNamespace(NS).withName("gone").get() == null);
    configMap("orphan", ownedBy(gone));
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(client.configMaps().inNamespace(NS).withName("orphan").get()).isNull());
  }

  @Test
  void aWorkloadReportsWhatTheTestMakesItsPodsDo() {
    LogPipeline lp = owner("pods");
    statefulSet("pods-logstash", "Delete", ownedBy(lp));
    cluster.readyPods(NS, "pods-logstash", 1);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var status = client.apps().statefulSets().inNamespace(NS).withName("pods-logstash").get().getStatus();
      assertThat(status.getReadyReplicas()).isEqualTo(1);
      assertThat(status.getUpdatedReplicas()).isEqualTo(2);
    });
    cluster.rollingOut(NS, "pods-logstash", 0);
    client.apps().statefulSets().inNamespace(NS).withName("pods-logstash")
        .edit(s -> new StatefulSetBuilder(s).editSpec().withReplicas(3).endSpec().build());
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      StatefulSet s = client.apps().statefulSets().inNamespace(NS).withName("pods-logstash").get();
      assertThat(s.getStatus().getObservedGeneration()).isEqualTo(s.getMetadata().getGeneration());
      assertThat(s.getStatus().getUpdatedReplicas()).isNull();
      assertThat(s.getStatus().getCurrentRevision()).isNotEqualTo(s.getStatus().getUpdateRevision());
    });
    cluster.healthy(NS, "pods-logstash");
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var status = client.apps().statefulSets().inNamespace(NS).withName("pods-logstash").get().getStatus();
      assertThat(status.getReadyReplicas()).isEqualTo(3);
      assertThat(status.getUpdatedReplicas()).isEqualTo(3);
      assertThat(status.getCurrentRevision()).isEqualTo(status.getUpdateRevision());
    });

    cluster.jobOutcome(NS, "pods-drain", SimulatedControllers.JobOutcome.FAILED);
    client.resource(new JobBuilder().withNewMetadata().withName("pods-drain").withNamespace(NS).endMetadata()
        .withNewSpec().withBackoffLimit(2).withNewTemplate().withNewSpec().addNewContainer().withName("d").withImage("x")
        .endContainer().endSpec().endTemplate().endSpec().build()).create();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var status = client.batch().v1().jobs().inNamespace(NS).withName("pods-drain").get().getStatus();
      assertThat(status.getFailed()).isEqualTo(3);
      assertThat(status.getConditions()).singleElement().satisfies(c ->
          assertThat(Map.of(c.getType(), c.getStatus())).isEqualTo(Map.of("Failed", "True")));
    });
  }
}
