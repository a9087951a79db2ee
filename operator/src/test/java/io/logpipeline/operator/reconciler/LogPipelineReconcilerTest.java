package io.logpipeline.operator.reconciler;

import static io.logpipeline.operator.TestLogPipelines.condition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.logpipeline.operator.ApiSemantics;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.Phase;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassSpec;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.api.ShipperSpec;
import io.logpipeline.operator.api.SourcesSpec;
import io.logpipeline.operator.api.TopicSpec;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.health.FlowObserver;
import io.logpipeline.operator.health.FlowVerdict;
import io.logpipeline.operator.kafka.KafkaClients;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.strimzi.api.kafka.model.topic.KafkaTopicBuilder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconciler without an operator: a real client on a mock API server (for the status and the
 * Events it writes), JOSDK's context stubbed, the managed workflow's outcome set by each test.
 * What a user sees: the status (phase, conditions with reason and field path), the Events, when
 * the pipeline is looked at again, and that an invalid spec never runs the workflow.
 */
@EnableKubernetesMockClient(crud = true)
class LogPipelineReconcilerTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  static final String NS = "logging";
  static final Duration TEMPLATE_RECHECK = Duration.ofMinutes(10);
  static final Duration REFERENCE_RECHECK = Duration.ofSeconds(30);
  static final AtomicInteger names = new AtomicInteger();

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  final AtomicBoolean stopping = new AtomicBoolean();
  final FlowObserver flow = mock(FlowObserver.class);

  @BeforeAll
  static void apiServer() {
    ApiSemantics.apply(server, client);
    // Strimzi with the pipelines' Kafka, three brokers
    TestLogPipelines.installStrimziKafka(client, NS);
    TestLogPipelines.installStrimziNodePools(client);
    TestLogPipelines.nodePool(client, NS, "brokers", "my-cluster", 3, "broker", "controller");
  }

  /** Whether the operator wrote a status (the server's object starts with an empty one). */
  static boolean statusWritten(LogPipeline lp) {
    return lp.getStatus() != null && !lp.getStatus().equals(new LogPipelineStatus());
  }

  LogPipelineReconciler reconciler(FlowObserver observer) {
    return new LogPipelineReconciler(InMemorySearch.clients(), new KafkaClients(c -> null), clock,
        TEMPLATE_RECHECK, REFERENCE_RECHECK, stopping::get, observer);
  }

  LogPipelineReconciler reconciler() {
    return reconciler(null);
  }

  /** A valid pipeline without warnings, created in the server (so its status can be written). */
  static LogPipeline spec() {
    LogPipeline lp = TestLogPipelines.minimal("app-" + names.incrementAndGet(), NS, "https://es:9200");
    LifecycleSpec lifecycle = new LifecycleSpec();
    lifecycle.setDeleteAfter("30d");
    lp.getSpec().getElasticsearch().setLifecycle(lifecycle);
    return lp;
  }

  static LogPipeline create(LogPipeline lp) {
    return client.resource(lp).create();
  }

  static LogPipeline stored(LogPipeline lp) {
    return client.resources(LogPipeline.class).inNamespace(NS).withName(lp.getMetadata().getName()).get();
  }

  static List<Event> events(LogPipeline lp) {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> lp.getMetadata().getName().equals(e.getInvolvedObject().getName())).toList();
  }

  StubbedContext context() {
    return new StubbedContext(client);
  }

  @Test
  void aValidSpecRunsTheWorkflowAndWritesProgressWithTheTemplateRecheck() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();

    UpdateControl<LogPipeline> control = reconciler().reconcile(lp, ctx.context);

    assertThat(ctx.workflow.reconciles).isEqualTo(1);
    LogPipeline stored = stored(lp);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Progressing);
    assertThat(condition(stored, PipelineHealth.VALID).getStatus()).isEqualTo("True");
    assertThat(control.isNoUpdate()).isTrue();
    assertThat(control.getScheduleDelay()).contains(TEMPLATE_RECHECK.toMillis());
    // The dependents got the validated pipeline and the clients.
    assertThat(PipelineContext.pipeline(ctx.context).name()).isEqualTo(lp.getMetadata().getName());
    assertThat(PipelineContext.kafka(ctx.context)).isNotNull();
    assertThat(ShipperPlacement.of(ctx.context)).isNotNull();
  }

  /** The status writes the server received since the last call (the requests are drained). */
  static long statusWrites() throws InterruptedException {
    long writes = 0;
    for (var r = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS); r != null;
        r = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (r.getPath().contains("/logpipelines/") && r.getPath().split("\\?")[0].endsWith("/status")
          && !r.getMethod().equals("GET")) {
        writes++;
      }
    }
    return writes;
  }

  /**
   * The guard against a status write loop, in milliseconds: a reconcile that observes what the
   * last one did (a timer, a resync, a restart) writes no status, however much later it runs.
   */
  @Test
  void aReconcileThatSeesNothingNewWritesNoStatus() throws Exception {
    LogPipeline lp = create(spec());
    statusWrites();
    reconciler().reconcile(lp, context().context);
    assertThat(statusWrites()).as("the first status").isEqualTo(1);
    LogPipeline written = stored(lp);
    assertThat(written.getStatus().getPhase()).isEqualTo(Phase.Progressing);

    clock.advance(TEMPLATE_RECHECK);
    reconciler().reconcile(written, context().context);
    clock.advance(TEMPLATE_RECHECK);
    reconciler().reconcile(stored(lp), context().context);
    assertThat(statusWrites()).as("status writes of reconciles that saw nothing new").isZero();

    // The same for a spec that stays invalid.
    LogPipeline invalid = spec();
    invalid.getSpec().getKafka().setCluster("Not_A_Name");
    invalid = create(invalid);
    reconciler().reconcile(invalid, context().context);
    assertThat(statusWrites()).as("the invalid spec's status").isEqualTo(1);
    clock.advance(TEMPLATE_RECHECK);
    reconciler().reconcile(stored(invalid), context().context);
    assertThat(statusWrites()).as("status writes of an invalid spec seen again").isZero();
  }

  @Test
  void kafkaCredentialsAreLookedAtAgainSoonerThanTheTemplate() {
    LogPipeline lp = spec();
    KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
    auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
    lp.getSpec().getKafka().setAuthentication(auth);
    lp = create(lp);

    UpdateControl<LogPipeline> control = reconciler().reconcile(lp, context().context);

    assertThat(control.getScheduleDelay()).contains(LogPipelineReconciler.CREDENTIALS_RECHECK.toMillis());

    // A template recheck shorter than the credentials' wins.
    LogPipeline again = stored(lp);
    var shortRecheck = new LogPipelineReconciler(InMemorySearch.clients(), new KafkaClients(c -> null), clock,
        Duration.ofSeconds(20), REFERENCE_RECHECK, () -> false, null);
    assertThat(shortRecheck.reconcile(again, context().context).getScheduleDelay())
        .contains(Duration.ofSeconds(20).toMillis());
  }

  @Test
  void aStoppingOperatorWritesNothing() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    stopping.set(true);

    UpdateControl<LogPipeline> control = reconciler().reconcile(lp, ctx.context);

    assertThat(control.isNoUpdate()).isTrue();
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(ctx.workflow.reconciles).isZero();
    assertThat(statusWritten(stored(lp))).isFalse();
    assertThat(reconciler().updateErrorStatus(lp, ctx.context, new RuntimeException("boom")).getResource())
        .isEmpty();
    assertThat(statusWritten(stored(lp))).isFalse();
    assertThat(reconciler().cleanup(lp, ctx.context).isRemoveFinalizer()).isFalse();
    assertThat(ctx.workflow.cleanups).isZero();
  }

  @Test
  void aPausedPipelineChangesNothingAndSaysSo() {
    LogPipeline lp = spec();
    lp.getSpec().setPaused(true);
    lp = create(lp);
    StubbedContext ctx = context();

    UpdateControl<LogPipeline> control = reconciler(flow).reconcile(lp, ctx.context);

    assertThat(ctx.workflow.reconciles).isZero();
    assertThat(control.getScheduleDelay()).isEmpty();
    LogPipeline stored = stored(lp);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Paused);
    assertThat(condition(stored, PipelineHealth.READY).getReason()).isEqualTo("Paused");
    verify(flow).forget(ResourceID.fromResource(lp));
  }

  @Test
  void anInvalidSpecWritesOnlyTheStatusWithTheFieldPath() {
    LogPipeline lp = spec();
    TopicSpec topic = new TopicSpec();
    topic.setPartitions(0);
    lp.getSpec().getKafka().setTopic(topic);
    LogPipeline created = create(lp);
    StubbedContext ctx = context();

    UpdateControl<LogPipeline> control = reconciler(flow).reconcile(created, ctx.context);

    assertThat(ctx.workflow.reconciles).isZero();
    // Only a new spec fixes it, and a new spec brings its own reconcile.
    assertThat(control.getScheduleDelay()).isEmpty();
    LogPipeline stored = stored(created);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Failed);
    Condition valid = condition(stored, PipelineHealth.VALID);
    assertThat(valid.getStatus()).isEqualTo("False");
    assertThat(valid.getReason()).isEqualTo("InvalidSpec");
    assertThat(valid.getMessage()).contains("spec.kafka.topic.partitions");
    assertThat(condition(stored, PipelineHealth.READY).getMessage()).isEqualTo("nothing was provisioned");
    verify(flow).forget(ResourceID.fromResource(created));
    List<Event> events = events(created);
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.getType()).isEqualTo("Warning");
      assertThat(e.getReason()).isEqualTo("InvalidSpec");
      assertThat(e.getMessage()).startsWith("Valid: ").contains("spec.kafka.topic.partitions");
      assertThat(e.getInvolvedObject().getUid()).isEqualTo(stored.getMetadata().getUid());
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("LogPipeline");
      assertThat(e.getInvolvedObject().getNamespace()).isEqualTo(NS);
      assertThat(e.getSource().getComponent()).isEqualTo("logpipeline-operator");
      assertThat(e.getMetadata().getName()).startsWith(created.getMetadata().getName() + ".");
      assertThat(e.getCount()).isEqualTo(1);
      assertThat(e.getFirstTimestamp()).isEqualTo("2026-12-01T10:00:00Z");
    });
  }

  @Test
  void anInvalidSpecWithChildrenKeepsTheLastValidSpecRunning() {
    LogPipeline lp = spec();
    lp.getSpec().getKafka().setCluster(null);
    lp = create(lp);
    StubbedContext ctx = context().with(new StatefulSetBuilder().withNewMetadata()
        .withName(lp.getMetadata().getName() + "-logstash").endMetadata().build());

    reconciler().reconcile(lp, ctx.context);

    LogPipeline stored = stored(lp);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Degraded);
    assertThat(condition(stored, PipelineHealth.READY).getMessage())
        .isEqualTo("the last valid spec keeps running unchanged");
    assertThat(ctx.workflow.reconciles).isZero();
  }

  @Test
  void theSameProblemTwiceIsOneEvent() {
    LogPipeline lp = spec();
    lp.getSpec().getKafka().setCluster(null);
    lp = create(lp);
    var reconciler = reconciler();
    reconciler.reconcile(lp, context().context);
    // The next reconcile starts from the status written: nothing changes, nothing is written.
    LogPipeline again = stored(lp);
    String version = again.getMetadata().getResourceVersion();
    reconciler.reconcile(again, context().context);

    assertThat(events(lp)).hasSize(1);
    assertThat(stored(lp).getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void aMissingShipperClassIsAMissingReferenceLookedAtAgain() {
    LogPipeline lp = spec();
    ShipperSpec shipper = new ShipperSpec();
    shipper.setClassName("shared");
    lp.getSpec().setShipper(shipper);
    lp = create(lp);
    StubbedContext ctx = context();

    UpdateControl<LogPipeline> control = reconciler().reconcile(lp, ctx.context);

    assertThat(ctx.workflow.reconciles).isZero();
    assertThat(control.getScheduleDelay()).contains(REFERENCE_RECHECK.toMillis());
    Condition valid = condition(stored(lp), PipelineHealth.VALID);
    assertThat(valid.getReason()).isEqualTo("MissingReference");
    assertThat(valid.getMessage()).contains("spec.shipper.className")
        .contains("ShipperClass shared does not exist");
  }

  @Test
  void aSharedShipperMayNotReadAnotherNamespace() {
    LogPipeline lp = spec();
    ShipperSpec shipper = new ShipperSpec();
    shipper.setClassName("shared");
    lp.getSpec().setShipper(shipper);
    SourcesSpec sources = new SourcesSpec();
    sources.setNamespaces(new ArrayList<>(List.of(NS, "payments")));
    lp.getSpec().setSources(sources);
    lp = create(lp);
    StubbedContext ctx = context();
    ctx.shipperClasses.add(shipperClass("shared", new ShipperClassSpec(), null));

    UpdateControl<LogPipeline> control = reconciler().reconcile(lp, ctx.context);

    assertThat(ctx.workflow.reconciles).isZero();
    assertThat(control.getScheduleDelay()).isEmpty();
    Condition valid = condition(stored(lp), PipelineHealth.VALID);
    assertThat(valid.getReason()).isEqualTo(io.logpipeline.operator.model.SharedShipperModel.CROSS_NAMESPACE_DENIED);
    assertThat(valid.getMessage()).contains("spec.sources.namespaces").contains("payments");

    // Listed in the class's clusterWideNamespaces, the same spec goes through.
    ShipperClassSpec wide = new ShipperClassSpec();
    wide.setClusterWideNamespaces(new ArrayList<>(List.of(NS)));
    StubbedContext allowed = context();
    allowed.shipperClasses.add(shipperClass("shared", wide, null));
    reconciler().reconcile(stored(lp), allowed.context);
    assertThat(allowed.workflow.reconciles).isEqualTo(1);
  }

  /** A pipeline of this test's namespace naming {@code topic}, created at {@code created}. */
  static LogPipeline naming(String topic, String created) {
    LogPipeline lp = spec();
    io.logpipeline.operator.api.TopicSpec t = new io.logpipeline.operator.api.TopicSpec();
    t.setName(topic);
    lp.getSpec().getKafka().setTopic(t);
    lp.getMetadata().setCreationTimestamp(created);
    return lp;
  }

  @Test
  void aTopicThatBelongsToAnotherPipelineWritesNothingAndIsLookedAtAgain() {
    LogPipeline owner = naming("orders", "2026-01-01T00:00:00Z");
    LogPipeline late = create(naming("orders", "2026-01-02T00:00:00Z"));
    StubbedContext ctx = context();
    ctx.pipelines.addAll(List.of(owner, late));

    UpdateControl<LogPipeline> control = reconciler().reconcile(late, ctx.context);

    assertThat(ctx.workflow.reconciles).isZero();
    assertThat(control.getScheduleDelay()).contains(REFERENCE_RECHECK.toMillis());
    Condition valid = condition(stored(late), PipelineHealth.VALID);
    assertThat(valid.getReason()).isEqualTo(io.logpipeline.operator.model.TopicClaims.TOPIC_IN_USE);
    assertThat(valid.getMessage()).startsWith("spec.kafka.topic.name: topic orders on this Kafka belongs to"
        + " LogPipeline " + NS + "/" + owner.getMetadata().getName());

    // The owner itself goes through.
    StubbedContext ownCtx = context();
    ownCtx.pipelines.addAll(List.of(owner, late));
    reconciler().reconcile(create(owner), ownCtx.context);
    assertThat(ownCtx.workflow.reconciles).isEqualTo(1);
  }

  @Test
  void theDeletionOfAPipelineRefusedItsTopicLeavesTheTopicToItsOwner() {
    LogPipeline owner = naming("payments", "2026-01-01T00:00:00Z");
    LogPipeline late = create(naming("payments", "2026-01-02T00:00:00Z"));
    StubbedContext ctx = context();
    ctx.pipelines.addAll(List.of(owner, late));

    assertThat(reconciler().cleanup(late, ctx.context).isRemoveFinalizer()).isTrue();
    assertThat(PipelineContext.topicOwned(ctx.context)).isFalse();

    StubbedContext alone = context();
    alone.pipelines.add(late);
    reconciler().cleanup(late, alone.context);
    assertThat(PipelineContext.topicOwned(alone.context)).isTrue();
  }

  static ShipperClass shipperClass(String name, ShipperClassSpec spec, ShipperClassStatus status) {
    ShipperClass cls = new ShipperClass();
    cls.setMetadata(new ObjectMetaBuilder().withName(name).build());
    cls.setSpec(spec);
    cls.setStatus(status);
    return cls;
  }

  @Test
  void aMissingSecretIsReportedWithItsFieldAndLookedAtAgain() {
    LogPipeline lp = spec();
    CredentialsSecretRef creds = new CredentialsSecretRef();
    creds.setName("es-credentials");
    lp.getSpec().getElasticsearch().setCredentialsSecret(creds);
    lp = create(lp);
    StubbedContext ctx = context();

    UpdateControl<LogPipeline> control = reconciler().reconcile(lp, ctx.context);

    assertThat(ctx.workflow.reconciles).isZero();
    assertThat(control.getScheduleDelay()).contains(REFERENCE_RECHECK.toMillis());
    LogPipeline stored = stored(lp);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Failed);
    Condition valid = condition(stored, PipelineHealth.VALID);
    assertThat(valid.getReason()).isEqualTo("MissingReference");
    assertThat(valid.getMessage()).contains("spec.elasticsearch.credentialsSecret.name")
        .contains("Secret es-credentials does not exist");
  }

  @Test
  void aTopicTooBigForTheKafkaClusterWritesNothing() {
    TestLogPipelines.installStrimziKafka(client, "kafka-small");
    TestLogPipelines.nodePool(client, "kafka-small", "brokers", "my-cluster", 1, "broker");
    LogPipeline lp = spec();
    lp.getSpec().getKafka().setNamespace("kafka-small");
    lp = create(lp);
    StubbedContext ctx = context();

    UpdateControl<LogPipeline> control = reconciler().reconcile(lp, ctx.context);

    assertThat(ctx.workflow.reconciles).isZero();
    assertThat(control.getScheduleDelay()).contains(REFERENCE_RECHECK.toMillis());
    Condition valid = condition(stored(lp), PipelineHealth.VALID);
    assertThat(valid.getReason()).isEqualTo("KafkaClusterTooSmall");
    assertThat(valid.getMessage()).contains("spec.kafka.topic.replicas").contains("has 1 broker,");
  }

  @Test
  void aFailedStageGoesOutThroughTheErrorStatusWithItsReason() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    ctx.workflow.errored.put(new IndexTemplateDependent(),
        new StageException("Unauthorized", "es:9200 answered 401"));
    var reconciler = reconciler(flow);

    var thrown = catchStagesFailed(() -> reconciler.reconcile(lp, ctx.context));
    // No flow observed for a pipeline whose stages fail.
    verify(flow, never()).watch(any(), any());
    assertThat(statusWritten(stored(lp))).as("written by updateErrorStatus, not reconcile").isFalse();

    reconciler.updateErrorStatus(lp, ctx.context, thrown);

    LogPipeline stored = stored(lp);
    Condition template = condition(stored, PipelineHealth.INDEX_TEMPLATE_READY);
    assertThat(template.getStatus()).isEqualTo("False");
    assertThat(template.getReason()).isEqualTo("Unauthorized");
    assertThat(template.getMessage()).contains("es:9200 answered 401");
    assertThat(events(lp)).anySatisfy(e -> {
      assertThat(e.getReason()).isEqualTo("Unauthorized");
      assertThat(e.getMessage()).isEqualTo("IndexTemplateReady: " + template.getMessage());
    });
  }

  static LogPipelineReconciler.StagesFailedException catchStagesFailed(Runnable reconcile) {
    try {
      reconcile.run();
    } catch (LogPipelineReconciler.StagesFailedException e) {
      return e;
    }
    throw new AssertionError("the reconcile did not fail");
  }

  /** Each dependent's failure lands on its stage's condition, in the words the user acts on. */
  @Test
  void eachDependentsFailureIsReportedOnItsStage() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    ctx.workflow.errored.put(new KafkaTopicDependent(), new KubernetesClientException("not found", 404, null));
    ctx.workflow.errored.put(new LogstashServiceDependent(), new KubernetesClientException(
        new StatusBuilder().withCode(403).withMessage("services is forbidden").build()));
    ctx.workflow.errored.put(new FilebeatConfigMapDependent(), new IllegalStateException("odd"));
    var reconciler = reconciler();

    var thrown = catchStagesFailed(() -> reconciler.reconcile(lp, ctx.context));
    assertThat(thrown.errors().byCondition()).containsOnlyKeys(
        PipelineHealth.BUFFER_READY, PipelineHealth.INDEXER_READY, PipelineHealth.SHIPPER_READY);
    reconciler.updateErrorStatus(lp, ctx.context, thrown);

    LogPipeline stored = stored(lp);
    Condition buffer = condition(stored, PipelineHealth.BUFFER_READY);
    assertThat(buffer.getReason()).isEqualTo("StrimziMissing");
    assertThat(buffer.getMessage()).contains("Strimzi KafkaTopic CRD").contains("spec.kafka.namespace");
    Condition indexer = condition(stored, PipelineHealth.INDEXER_READY);
    assertThat(indexer.getReason()).isEqualTo("ApplyFailed");
    assertThat(indexer.getMessage()).isEqualTo("cannot apply Service: HTTP 403 services is forbidden");
    Condition shipper = condition(stored, PipelineHealth.SHIPPER_READY);
    assertThat(shipper.getReason()).isEqualTo("Error");
    assertThat(shipper.getMessage()).isEqualTo(new FilebeatConfigMapDependent().name() + ": odd");
  }

  @Test
  void kafkaDependentsFailOnTheBufferAndAnApplyWithoutStatusSaysTheMessage() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    ctx.workflow.errored.put(new ExternalTopicDependent(), new StageException("Unreachable", "kafka:9092"));
    ctx.workflow.errored.put(new LogstashStatefulSetDependent(),
        new KubernetesClientException("connection reset", 500, null));
    var thrown = catchStagesFailed(() -> reconciler().reconcile(lp, ctx.context));
    assertThat(thrown.errors().byCondition().get(PipelineHealth.BUFFER_READY).reason()).isEqualTo("Unreachable");
    assertThat(thrown.errors().byCondition().get(PipelineHealth.INDEXER_READY).getMessage())
        .isEqualTo("cannot apply StatefulSet: HTTP 500 connection reset");

    StubbedContext users = context();
    users.workflow.errored.put(new ShipperKafkaUserDependent(), new StageException("Forbidden", "users"));
    users.workflow.errored.put(new IndexerKafkaCredentialsDependent(), new StageException("Missing", "creds"));
    var more = catchStagesFailed(() -> reconciler().reconcile(lp, users.context));
    // One condition, the first dependent's error.
    assertThat(more.errors().byCondition()).containsOnlyKeys(PipelineHealth.BUFFER_READY);
    // A 404 of anything but the KafkaTopic is an ordinary failed apply.
    StubbedContext service = context();
    service.workflow.errored.put(new LogstashServiceDependent(), new KubernetesClientException("gone", 404, null));
    assertThat(catchStagesFailed(() -> reconciler().reconcile(lp, service.context)).errors().byCondition()
        .get(PipelineHealth.INDEXER_READY).reason()).isEqualTo("ApplyFailed");
    StubbedContext shared = context();
    shared.workflow.errored.put(new SharedShipperConfigMapsDependent(), new StageException("X", "y"));
    assertThat(catchStagesFailed(() -> reconciler().reconcile(lp, shared.context)).errors().byCondition())
        .containsOnlyKeys(PipelineHealth.SHIPPER_READY);
  }

  @Test
  void anUnexpectedFailureKeepsWhatWasObservedAndSaysWhatFailed() {
    LogPipeline lp = create(spec());
    var reconciler = reconciler();
    reconciler.reconcile(lp, context().context);
    LogPipeline progressing = stored(lp);

    reconciler.updateErrorStatus(progressing, context().context, new IllegalStateException("cache not synced"));

    LogPipeline stored = stored(lp);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Progressing);
    Condition ready = condition(stored, PipelineHealth.READY);
    assertThat(ready.getReason()).isEqualTo("ReconcileError");
    assertThat(ready.getMessage()).isEqualTo("cache not synced");
    assertThat(condition(stored, PipelineHealth.VALID).getStatus()).isEqualTo("True");
  }

  @Test
  void aConflictIsRetriedWithoutAStatus() {
    LogPipeline lp = create(spec());
    var reconciler = reconciler();
    for (int code : new int[] {409, 422}) {
      var control = reconciler.updateErrorStatus(lp, context().context, new RuntimeException("wrapped",
          new KubernetesClientException("conflict", code, null)));
      assertThat(control.getResource()).isEmpty();
    }
    assertThat(statusWritten(stored(lp))).isFalse();
    // Any other code is a failure to show.
    reconciler.updateErrorStatus(lp, context().context, new KubernetesClientException("unavailable", 503, null));
    assertThat(condition(stored(lp), PipelineHealth.READY).getReason()).isEqualTo("ReconcileError");
  }

  @Test
  void aStatusThatCannotBeWrittenIsLeftToTheRetry() {
    LogPipeline lp = spec();
    lp.getMetadata().setUid("not-in-the-server");
    lp.getMetadata().setResourceVersion("1");
    // The pipeline is not in the server: the status write fails, and updateErrorStatus swallows it.
    var control = reconciler().updateErrorStatus(lp, context().context, new IllegalStateException("x"));
    assertThat(control.getResource()).isEmpty();
  }

  @Test
  void progressIsWrittenAtMostOncePerInterval() {
    LogPipeline lp = create(spec());
    var reconciler = reconciler();
    reconciler.reconcile(lp, context().context);
    LogPipeline first = stored(lp);
    assertThat(first.getStatus().getPhase()).isEqualTo(Phase.Progressing);
    assertThat(first.getStatus().getIndexers()).isEqualTo("0/2");

    // A replica becomes ready half a second later: a new count, not written yet.
    clock.advance(Duration.ofMillis(400));
    StubbedContext ctx = context().with(new StatefulSetBuilder().withNewMetadata()
        .withName(lp.getMetadata().getName() + "-logstash").withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(2).withReadyReplicas(1)
        .withUpdatedReplicas(2).endStatus().build());
    UpdateControl<LogPipeline> deferred = reconciler.reconcile(first, ctx.context);
    assertThat(deferred.getScheduleDelay()).contains(600L);
    assertThat(stored(lp).getMetadata().getResourceVersion()).isEqualTo(first.getMetadata().getResourceVersion());

    // At the end of the interval it goes out.
    clock.advance(Duration.ofMillis(600));
    UpdateControl<LogPipeline> written = reconciler.reconcile(first, ctx.context);
    assertThat(written.getScheduleDelay()).contains(TEMPLATE_RECHECK.toMillis());
    assertThat(stored(lp).getStatus().getIndexers()).isEqualTo("1/2");

    // Another operator process (no write of its own remembered) writes at once.
    LogPipeline second = stored(lp);
    StubbedContext fewer = context().with(new StatefulSetBuilder().withNewMetadata()
        .withName(lp.getMetadata().getName() + "-logstash").withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(2).withReadyReplicas(0)
        .withUpdatedReplicas(2).endStatus().build());
    assertThat(reconciler().reconcile(second, fewer.context).getScheduleDelay())
        .contains(TEMPLATE_RECHECK.toMillis());
    assertThat(stored(lp).getStatus().getIndexers()).isEqualTo("0/2");
  }

  @Test
  void theFlowObserversVerdictIsTheFlowingCondition() {
    LogPipeline lp = create(spec());
    when(flow.published(ResourceID.fromResource(lp))).thenReturn(
        new FlowVerdict("False", FlowVerdict.LAG_GROWING, "the indexer falls behind", null));

    reconciler(flow).reconcile(lp, context().context);

    verify(flow).watch(any(), any());
    Condition flowing = condition(stored(lp), PipelineHealth.FLOWING);
    assertThat(flowing.getStatus()).isEqualTo("False");
    assertThat(flowing.getReason()).isEqualTo(FlowVerdict.LAG_GROWING);
    assertThat(events(lp)).anySatisfy(e -> assertThat(e.getReason()).isEqualTo(FlowVerdict.LAG_GROWING));

    // Nothing published yet: the verdict shown stays; with none shown, NotObservedYet.
    LogPipeline fresh = create(spec());
    reconciler(mock(FlowObserver.class)).reconcile(fresh, context().context);
    assertThat(condition(stored(fresh), PipelineHealth.FLOWING).getReason()).isEqualTo(FlowVerdict.NOT_OBSERVED);
    LogPipeline shown = stored(lp);
    reconciler(mock(FlowObserver.class)).reconcile(shown, context().context);
    assertThat(condition(stored(lp), PipelineHealth.FLOWING).getReason()).isEqualTo(FlowVerdict.LAG_GROWING);
  }

  @Test
  void flowingAgainIsANormalEventButAFirstObservationIsNot() {
    LogPipeline lp = create(spec());
    when(flow.published(ResourceID.fromResource(lp))).thenReturn(FlowVerdict.notObserved());
    var reconciler = reconciler(flow);
    reconciler.reconcile(lp, context().context);
    when(flow.published(ResourceID.fromResource(lp))).thenReturn(
        new FlowVerdict("True", FlowVerdict.FLOWING, "events reach the index", null));
    clock.advance(Duration.ofSeconds(2));
    reconciler.reconcile(stored(lp), context().context);
    assertThat(events(lp)).noneMatch(e -> "Normal".equals(e.getType()));

    when(flow.published(ResourceID.fromResource(lp))).thenReturn(
        new FlowVerdict("Unknown", FlowVerdict.KAFKA_UNREACHABLE, "kafka:9092 does not answer", null));
    clock.advance(Duration.ofSeconds(2));
    reconciler.reconcile(stored(lp), context().context);
    clock.advance(Duration.ofSeconds(2));
    when(flow.published(ResourceID.fromResource(lp))).thenReturn(
        new FlowVerdict("True", FlowVerdict.FLOWING, "events reach the index", null));
    reconciler.reconcile(stored(lp), context().context);

    assertThat(events(lp)).filteredOn(e -> "Normal".equals(e.getType())).singleElement().satisfies(e -> {
      assertThat(e.getReason()).isEqualTo(FlowVerdict.FLOWING);
      assertThat(e.getMessage()).isEqualTo("Flowing again: events reach the index");
    });
  }

  @Test
  void aSpecWarningIsAnEventOnceUntilItChanges() {
    LogPipeline lp = spec();
    // No lifecycle: the indices are kept forever, which the spec's warnings say.
    lp.getSpec().getElasticsearch().setLifecycle(null);
    lp = create(lp);
    var reconciler = reconciler();
    reconciler.reconcile(lp, context().context);
    Condition valid = condition(stored(lp), PipelineHealth.VALID);
    assertThat(valid.getReason()).isEqualTo(PipelineHealth.WITH_WARNINGS);
    clock.advance(Duration.ofSeconds(5));
    reconciler.reconcile(stored(lp), context().context);

    assertThat(events(lp)).filteredOn(e -> "SpecWarning".equals(e.getReason())).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getMessage()).isEqualTo(valid.getMessage());
        });
  }

  @Test
  void longMessagesAreCutForTheEvent() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    ctx.workflow.errored.put(new IndexTemplateDependent(), new StageException("Rejected", "x".repeat(2000)));
    var reconciler = reconciler();
    reconciler.updateErrorStatus(lp, ctx.context, catchStagesFailed(() -> reconciler.reconcile(lp, ctx.context)));

    Event event = events(lp).stream().filter(e -> "Rejected".equals(e.getReason())).findFirst().orElseThrow();
    assertThat(event.getMessage()).hasSize(1024).endsWith("xxx...");
    // The condition keeps the whole message.
    assertThat(condition(stored(lp), PipelineHealth.INDEX_TEMPLATE_READY).getMessage()).hasSize(2000);
  }

  @Test
  void conditionsInTheirNormalCourseAreNoEvents() {
    LogPipeline lp = create(spec());
    LogPipelineStatus before = new LogPipelineStatus();
    before.setConditions(new ArrayList<>(List.of(
        cond(PipelineHealth.BUFFER_READY, "False", "Same"))));
    lp.setStatus(before);
    StubbedContext ctx = context();
    // Reasons that are the normal course of things, or a failure seen before.
    for (String reason : List.of("Creating", "LogstashNotReady", PipelineHealth.ROLLING_OUT, "WaitingForStrimzi",
        "Draining", "WaitingForIndexTemplate", "Same")) {
      ctx.workflow.errored.clear();
      ctx.workflow.errored.put(new KafkaTopicDependent(), new StageException(reason, "in course"));
      var reconciler = reconciler();
      reconciler.updateErrorStatus(lp, ctx.context, catchStagesFailed(() -> reconciler.reconcile(stored(lp), ctx.context)));
    }
    assertThat(events(lp)).extracting(Event::getReason).doesNotContain("Creating", "LogstashNotReady",
        PipelineHealth.ROLLING_OUT, "WaitingForStrimzi", "Draining", "WaitingForIndexTemplate");
  }

  static Condition cond(String type, String status, String reason) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage("m").build();
  }

  @Test
  void aFailureIsAnEventWhenItStartsAndWhenItsReasonChanges() {
    LogPipeline lp = create(spec());
    var reconciler = reconciler();
    for (String reason : List.of("Unauthorized", "Unauthorized", "Unreachable")) {
      StubbedContext ctx = context();
      ctx.workflow.errored.put(new IndexTemplateDependent(), new StageException(reason, "es:9200 " + reason));
      LogPipeline current = stored(lp);
      reconciler.updateErrorStatus(current, ctx.context, catchStagesFailed(() -> reconciler.reconcile(current, ctx.context)));
      clock.advance(Duration.ofSeconds(2));
    }
    assertThat(events(lp)).filteredOn(e -> "Warning".equals(e.getType())).extracting(Event::getReason)
        .containsExactly("Unauthorized", "Unreachable");
  }

  @Test
  void aSpecWarningIsNotRepeatedWhileTheStatusChangesAndIsWhenItChanges() {
    LogPipeline lp = spec();
    lp.getSpec().getElasticsearch().setLifecycle(null);
    lp = create(lp);
    String name = lp.getMetadata().getName();
    var reconciler = reconciler();
    reconciler.reconcile(lp, context().context);
    clock.advance(Duration.ofSeconds(2));
    // A replica becomes ready: a new status, the same warning.
    reconciler.reconcile(stored(lp), context().with(new StatefulSetBuilder().withNewMetadata()
        .withName(name + "-logstash").withGeneration(1L).endMetadata().withNewSpec().withReplicas(2).endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(2).withReadyReplicas(1).endStatus().build()).context);
    assertThat(stored(lp).getStatus().getIndexers()).isEqualTo("1/2");
    assertThat(events(lp)).filteredOn(e -> "SpecWarning".equals(e.getReason())).hasSize(1);

    // Another warning: told again.
    clock.advance(Duration.ofSeconds(2));
    LogPipeline changed = stored(lp);
    TopicSpec topic = new TopicSpec();
    // A dot and an underscore in a topic name: Kafka's metrics confuse them, a second warning.
    topic.setName("logs.with_underscore." + name);
    changed.getSpec().getKafka().setTopic(topic);
    reconciler.reconcile(changed, context().context);
    assertThat(events(lp)).filteredOn(e -> "SpecWarning".equals(e.getReason())).hasSize(2);
  }

  @Test
  void thePublicConstructorReconciles() {
    LogPipeline lp = create(spec());
    var reconciler = new LogPipelineReconciler(InMemorySearch.clients(), clock, TEMPLATE_RECHECK, REFERENCE_RECHECK);
    assertThat(reconciler.reconcile(lp, context().context).getScheduleDelay()).contains(TEMPLATE_RECHECK.toMillis());
    assertThat(statusWritten(stored(lp))).isTrue();
  }

  // --- cleanup

  @Test
  void aDeletionRunsTheCleanupWorkflowAndLetsGo() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    var reconciler = reconciler(flow);

    DeleteControl control = reconciler.cleanup(lp, ctx.context);

    assertThat(control.isRemoveFinalizer()).isTrue();
    assertThat(ctx.workflow.cleanups).isEqualTo(1);
    assertThat(ShipperPlacement.of(ctx.context)).isEqualTo(ShipperPlacement.own());
    assertThat(PipelineContext.pipeline(ctx.context).name()).isEqualTo(lp.getMetadata().getName());
    verify(flow).forget(ResourceID.fromResource(lp));
    assertThat(statusWritten(stored(lp))).isFalse();
  }

  @Test
  void aDeletionWaitsForTheSharedShipperToDropTheInput() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    String key = NS + "/" + lp.getMetadata().getName();
    ShipperClassStatus status = new ShipperClassStatus();
    status.setGroups(List.of(new ShipperClassStatus.Group("g", "kafka:9092",
        List.of(new ShipperClassStatus.Member(key, "Configured", "2026-12-01T09:00:00Z")), "Ready")));
    ctx.shipperClasses.add(shipperClass("shared", new ShipperClassSpec(), status));

    DeleteControl control = reconciler().cleanup(lp, ctx.context);

    assertThat(control.isRemoveFinalizer()).isFalse();
    assertThat(control.getScheduleDelay()).contains(LogPipelineReconciler.DRAIN_RECHECK.toMillis());
    assertThat(ctx.workflow.cleanups).isZero();
    LogPipeline stored = stored(lp);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Deleting);
    Condition shipper = condition(stored, PipelineHealth.SHIPPER_READY);
    assertThat(shipper.getReason()).isEqualTo("RemovingInput");
    assertThat(shipper.getMessage()).contains("ShipperClass shared");

    // Once the class has let it go (not admitted any more), the deletion goes on.
    ShipperClassStatus out = new ShipperClassStatus();
    out.setGroups(List.of(new ShipperClassStatus.Group("g", "kafka:9092",
        List.of(new ShipperClassStatus.Member(key, "MaxPipelinesExceeded", "2026-12-01T09:00:00Z")), "Ready")));
    StubbedContext later = context();
    later.shipperClasses.add(shipperClass("shared", new ShipperClassSpec(), out));
    assertThat(reconciler().cleanup(stored, later.context).isRemoveFinalizer()).isTrue();
  }

  @Test
  void aFailedCleanupKeepsTheFinalizerAndSaysWhatItWaitsFor() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    ctx.workflow.errored.put(new IndexTemplateDependent(), new StageException("Unreachable", "es:9200 refused"));

    assertThatThrownBy(() -> reconciler().cleanup(lp, ctx.context)).isInstanceOf(AggregatedOperatorException.class);

    LogPipeline stored = stored(lp);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Deleting);
    assertThat(condition(stored, PipelineHealth.INDEX_TEMPLATE_READY).getReason()).isEqualTo("Unreachable");
    assertThat(condition(stored, PipelineHealth.READY).getMessage()).contains("IndexTemplateReady")
        .contains(LogPipeline.SKIP_EXTERNAL_CLEANUP);
  }

  @Test
  void aDeletionWaitsForTheQueueVolumesToDrain() {
    LogPipeline lp = create(spec());
    StubbedContext ctx = context();
    ctx.workflow.postConditionsMet = false;

    DeleteControl control = reconciler(flow).cleanup(lp, ctx.context);

    assertThat(control.isRemoveFinalizer()).isFalse();
    assertThat(control.getScheduleDelay()).contains(LogPipelineReconciler.DRAIN_RECHECK.toMillis());
    verify(flow, never()).forget(any());
    LogPipeline stored = stored(lp);
    assertThat(stored.getStatus().getPhase()).isEqualTo(Phase.Deleting);
    assertThat(condition(stored, PipelineHealth.INDEXER_READY).getReason()).isEqualTo("Draining");
    // Draining is the normal course of a deletion: no Warning.
    assertThat(events(lp)).noneMatch(e -> "Draining".equals(e.getReason()));
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
