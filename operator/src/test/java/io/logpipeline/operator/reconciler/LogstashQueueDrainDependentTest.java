package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.QueueDrain;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The queue volumes of Logstash replicas that are gone: a drain Job per volume (owned by the
 * LogPipeline), the volume deleted once its Job succeeded, the Job once its volume is gone; on
 * deletion under Delete, Logstash scaled to zero first; the templates' deletion held back until
 * every volume is drained, unless the volumes are kept.
 */
@EnableKubernetesMockClient(crud = true)
class LogstashQueueDrainDependentTest {

  static KubernetesClient client;
  static final AtomicInteger names = new AtomicInteger();

  final String ns = "drain-" + names.incrementAndGet();
  final LogPipeline lp = lp();
  final Pipeline p = StubbedContext.valid(lp);
  final LogstashQueueDrainDependent dependent = new LogstashQueueDrainDependent();

  LogPipeline lp() {
    LogPipeline lp = TestLogPipelines.minimal("app", ns, "https://es:9200");
    lp.setMetadata(new ObjectMetaBuilder(lp.getMetadata()).withUid("uid-app").build());
    return lp;
  }

  StubbedContext context(LogPipeline primary) {
    return new StubbedContext(client).forDependents(Pipeline.forCleanup(primary), InMemorySearch.clients(),
        new KafkaClients(c -> null));
  }

  String claimName(int ordinal) {
    return IndexerModel.QUEUE_VOLUME + "-" + p.indexerName() + "-" + ordinal;
  }

  PersistentVolumeClaim claim(int ordinal) {
    return client.resource(new PersistentVolumeClaimBuilder().withNewMetadata().withName(claimName(ordinal))
        .withNamespace(ns).addToAnnotations(IndexerModel.PIPELINE_ANNOTATION, "app").endMetadata().build()).create();
  }

  /** The StatefulSet as its controller reports it once it runs {@code replicas}. */
  StatefulSet statefulSet(int replicas) {
    return client.resource(new StatefulSetBuilder().withNewMetadata().withName(p.indexerName()).withNamespace(ns)
        .withGeneration(1L).endMetadata().withNewSpec().withReplicas(replicas).endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(replicas).endStatus().build()).create();
  }

  Job job(int ordinal, String condition) {
    var job = new JobBuilder(QueueDrain.job(p, IndexerModel.configMap(p), claimName(ordinal), ordinal));
    if (condition != null) {
      job.withNewStatus().addNewCondition().withType(condition).withStatus("True").endCondition().endStatus();
    }
    return client.resource(job.build()).create();
  }

  @Test
  void theVolumeOfAReplicaScaledAwayIsDrainedByAJobTheLogPipelineOwns() {
    StatefulSet sts = statefulSet(IndexerModel.replicas(p));
    PersistentVolumeClaim kept = claim(0);
    PersistentVolumeClaim gone = claim(IndexerModel.replicas(p));
    StubbedContext ctx = context(lp).with(sts, kept, gone);
    @SuppressWarnings("unchecked")
    InformerEventSource<Job, LogPipeline> jobs = mock(InformerEventSource.class);
    when(ctx.retriever.getEventSourceFor(Job.class)).thenReturn(jobs);

    dependent.reconcile(lp, ctx.context);

    String jobName = QueueDrain.jobName(p, IndexerModel.replicas(p));
    Job job = client.batch().v1().jobs().inNamespace(ns).withName(jobName).get();
    assertThat(job).isNotNull();
    assertThat(job.getMetadata().getAnnotations()).containsEntry(QueueDrain.CLAIM_ANNOTATION, gone.getMetadata().getName());
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getKind()).isEqualTo("LogPipeline");
      assertThat(ref.getUid()).isEqualTo("uid-app");
    });
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(1);
    // Into the cache at once, so the next reconcile does not create it again.
    verify(jobs).handleRecentResourceCreate(eq(ResourceID.fromResource(job)), any(Job.class));
  }

  @Test
  void aJobCreatedByAnEarlierReconcileIsNoError() {
    StatefulSet sts = statefulSet(IndexerModel.replicas(p));
    PersistentVolumeClaim gone = claim(IndexerModel.replicas(p));
    job(IndexerModel.replicas(p), null);
    // The cache has not seen it yet.
    dependent.reconcile(lp, context(lp).with(sts, gone).context);
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(1);
  }

  @Test
  void aDrainedVolumeIsDeletedThenItsJob() {
    int ordinal = IndexerModel.replicas(p);
    StatefulSet sts = statefulSet(ordinal);
    PersistentVolumeClaim claim = claim(ordinal);
    Job done = job(ordinal, "Complete");

    dependent.reconcile(lp, context(lp).with(sts, claim, done).context);
    assertThat(client.resource(claim).get()).isNull();
    assertThat(client.resource(done).get()).as("deleted once its volume is gone").isNotNull();

    dependent.reconcile(lp, context(lp).with(sts, done).context);
    assertThat(client.resource(done).get()).isNull();
  }

  @Test
  void aFailedDrainKeepsTheVolume() {
    int ordinal = IndexerModel.replicas(p);
    StatefulSet sts = statefulSet(ordinal);
    PersistentVolumeClaim claim = claim(ordinal);
    Job failed = job(ordinal, "Failed");
    dependent.reconcile(lp, context(lp).with(sts, claim, failed).context);
    assertThat(client.resource(claim).get()).isNotNull();
    assertThat(client.resource(failed).get()).isNotNull();
  }

  @Test
  void deletionScalesLogstashToZeroBeforeDrainingEveryVolume() {
    StatefulSet sts = statefulSet(2);
    PersistentVolumeClaim claim = claim(0);

    dependent.delete(lp, context(lp).with(sts, claim).context);

    assertThat(client.resource(sts).get().getSpec().getReplicas()).isZero();
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems())
        .as("its pods drain as they stop; Jobs once they are gone").isEmpty();

    // Once the controller reports no pod: a Job per volume.
    StatefulSet stopped = client.resource(new StatefulSetBuilder(client.resource(sts).get())
        .editStatus().withReplicas(0).withObservedGeneration(client.resource(sts).get().getMetadata().getGeneration())
        .endStatus().build()).update();
    String version = stopped.getMetadata().getResourceVersion();
    dependent.delete(lp, context(lp).with(stopped, claim).context);
    assertThat(client.resource(sts).get().getMetadata().getResourceVersion()).as("not scaled again").isEqualTo(version);
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName(QueueDrain.jobName(p, 0)).get()).isNotNull();
  }

  @Test
  void withoutVolumesNothingIsScaled() {
    StatefulSet sts = statefulSet(2);
    dependent.delete(lp, context(lp).with(sts).context);
    assertThat(client.resource(sts).get().getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void keptVolumesAreNeitherScaledNorDrained() {
    StatefulSet sts = statefulSet(2);
    PersistentVolumeClaim claim = claim(0);
    LogPipeline retain = lp();
    retain.getSpec().setDeletionPolicy(DeletionPolicy.Retain);
    dependent.delete(retain, context(retain).with(sts, claim).context);
    LogPipeline skip = lp();
    skip.getMetadata().setAnnotations(Map.of(LogPipeline.SKIP_EXTERNAL_CLEANUP, "true"));
    dependent.delete(skip, context(skip).with(sts, claim).context);

    assertThat(client.resource(sts).get().getSpec().getReplicas()).isEqualTo(2);
    assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).isEmpty();
    assertThat(new LogstashQueueDrainDependent.Drained().isMet(dependent, retain, context(retain).with(claim).context))
        .isTrue();
    assertThat(new LogstashQueueDrainDependent.Drained().isMet(dependent, skip, context(skip).with(claim).context))
        .isTrue();
    assertThat(LogstashQueueDrainDependent.keepsVolumes(StubbedContext.valid(lp), lp)).isFalse();
  }

  @Test
  void theTemplatesWaitUntilEveryVolumeAndJobIsGone() {
    var drained = new LogstashQueueDrainDependent.Drained();
    assertThat(drained.isMet(dependent, lp, context(lp).context)).isTrue();
    PersistentVolumeClaim claim = claim(0);
    assertThat(drained.isMet(dependent, lp, context(lp).with(claim).context)).isFalse();
    Job job = job(0, "Complete");
    assertThat(drained.isMet(dependent, lp, context(lp).with(job).context)).isFalse();
    PersistentVolumeClaim other = client.resource(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName("data-elsewhere").withNamespace(ns).endMetadata().build()).create();
    assertThat(drained.isMet(dependent, lp, context(lp).with(other).context)).as("not a queue volume").isTrue();
  }

  @Test
  void aVolumeBelongsToThePipelineItsAnnotationNames() {
    var mapper = dependent.getSecondaryToPrimaryMapper(null).orElseThrow();
    assertThat(mapper.toPrimaryResourceIDs(new PersistentVolumeClaimBuilder().withNewMetadata().withName("queue-x")
        .withNamespace(ns).addToAnnotations(IndexerModel.PIPELINE_ANNOTATION, "app").endMetadata().build()))
        .containsExactly(new ResourceID("app", ns));
    assertThat(mapper.toPrimaryResourceIDs(new PersistentVolumeClaimBuilder().withNewMetadata().withName("queue-x")
        .withNamespace(ns).addToAnnotations("other", "app").endMetadata().build())).isEmpty();
    assertThat(mapper.toPrimaryResourceIDs(new PersistentVolumeClaimBuilder().withNewMetadata().withName("queue-x")
        .withNamespace(ns).endMetadata().build())).isEqualTo(Set.of());
  }
}
