package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NamespaceableResource;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineStatus;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.api.ShipperSpec;
import io.logpipeline.operator.api.SourcesSpec;
import io.logpipeline.operator.model.ShipperAdmission;
import io.logpipeline.operator.model.SharedShipperModel;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ShipperClass reconciler with JOSDK's Context mocked: which pipelines it admits, the record
 * it writes (only when it changed), and what it hands the shared shippers' dependents.
 */
class ShipperClassReconcilerTest {

  static final Instant NOW = Instant.parse("2026-01-01T00:10:00Z");
  static final Duration WAIT = Duration.ofSeconds(130);

  final List<LogPipeline> pipelines = new ArrayList<>();
  final List<ShipperClass> classes = new ArrayList<>();
  final List<ConfigMap> configMaps = new ArrayList<>();
  final List<DaemonSet> daemonSets = new ArrayList<>();
  final List<ShipperClass> written = new ArrayList<>();
  boolean stopping;
  ShipperClassReconciler reconciler;
  KubernetesClient client;
  EventSourceRetriever<ShipperClass> retriever;

  @BeforeEach
  void setUp() {
    reconciler = new ShipperClassReconciler("logging", Set.of(), Clock.fixed(NOW, ZoneOffset.UTC), WAIT,
        () -> stopping);
  }

  @SuppressWarnings("unchecked")
  Context<ShipperClass> context() {
    client = mock(KubernetesClient.class);
    Context<ShipperClass> context = ReconcilerFixtures.context(client);
    InformerEventSource<LogPipeline, ShipperClass> source = mock(InformerEventSource.class);
    when(source.list(any(Predicate.class))).thenAnswer(inv -> pipelines.stream().filter(inv.getArgument(0)));
    retriever = mock(EventSourceRetriever.class);
    when(context.eventSourceRetriever()).thenReturn(retriever);
    doReturn(source).when(retriever).getEventSourceFor(LogPipeline.class, ShipperClassReconciler.PIPELINES);
    when(retriever.getControllerEventSource()).thenReturn(mock(ControllerEventSource.class));
    IndexedResourceCache<ShipperClass> cache = mock(IndexedResourceCache.class);
    when(context.getPrimaryCache()).thenReturn(cache);
    when(cache.list()).thenAnswer(inv -> classes.stream());
    when(cache.get(any())).thenAnswer(inv -> written.stream().reduce((a, b) -> b));
    when(context.getSecondaryResourcesAsStream(ConfigMap.class)).thenAnswer(inv -> configMaps.stream());
    when(context.getSecondaryResourcesAsStream(DaemonSet.class)).thenAnswer(inv -> daemonSets.stream());
    when(client.resource(any(ShipperClass.class))).thenAnswer(inv -> {
      ShipperClass sent = inv.getArgument(0);
      NamespaceableResource<ShipperClass> resource = mock(NamespaceableResource.class);
      when(resource.updateStatus()).thenAnswer(update -> {
        ShipperClass stored = new ShipperClass();
        stored.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder(sent.getMetadata())
            .withResourceVersion("2").build());
        stored.setSpec(sent.getSpec());
        stored.setStatus(sent.getStatus());
        written.add(stored);
        return stored;
      });
      return resource;
    });
    return context;
  }

  static ShipperClass defaultClass() {
    ShipperClass cls = ShipperClassesTest.shipperClass("default", true);
    cls.getMetadata().setResourceVersion("1");
    cls.getMetadata().setGeneration(4L);
    return cls;
  }

  static LogPipeline pipeline(String namespace, String name, boolean topicReady, String created) {
    LogPipeline lp = ReconcilerFixtures.logPipeline(spec -> spec.getKafka().setNamespace("kafka"));
    lp.getMetadata().setNamespace(namespace);
    lp.getMetadata().setName(name);
    lp.getMetadata().setCreationTimestamp(created);
    LogPipelineStatus status = new LogPipelineStatus();
    status.setConditions(new ArrayList<>(List.of(
        new ConditionBuilder().withType(PipelineHealth.SHIPPER_READY).withStatus("True").build(),
        new ConditionBuilder().withType(PipelineHealth.BUFFER_READY).withStatus(topicReady ? "True" : "False").build())));
    lp.setStatus(status);
    return lp;
  }

  static String state(ShipperClassStatus status, String key) {
    return ShipperAdmission.find(status, key).map(e -> e.getValue().state()).orElse(null);
  }

  static String group(ShipperClass cls, LogPipeline lp) {
    return ShipperAdmission.groupName(cls, ReconcilerFixtures.pipeline(lp));
  }

  @Test
  void theClassesPipelinesAreAdmittedAndTheRecordIsWrittenBeforeTheShippersAreApplied() {
    ShipperClass cls = defaultClass();
    classes.add(cls);
    classes.add(ShipperClassesTest.shipperClass("other", false));
    LogPipeline ready = pipeline("team-a", "app", true, "2026-01-01T00:00:01Z");
    pipelines.add(ready);
    pipelines.add(pipeline("team-b", "app", false, "2026-01-01T00:00:02Z"));
    LogPipeline elsewhere = pipeline("team-c", "app", true, "2026-01-01T00:00:03Z");
    ShipperSpec other = new ShipperSpec();
    other.setClassName("other");
    elsewhere.getSpec().setShipper(other);
    pipelines.add(elsewhere);
    LogPipeline invalid = pipeline("team-d", "app", true, "2026-01-01T00:00:04Z");
    invalid.getSpec().getElasticsearch().setHosts(List.of());
    pipelines.add(invalid);
    LogPipeline deleting = pipeline("team-e", "app", true, "2026-01-01T00:00:05Z");
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:09:00Z");
    pipelines.add(deleting);
    LogPipeline denied = pipeline("team-f", "app", true, "2026-01-01T00:00:06Z");
    SourcesSpec sources = new SourcesSpec();
    sources.setNamespaces(List.of("team-a"));
    denied.getSpec().setSources(sources);
    pipelines.add(denied);
    String groupName = group(cls, ready);
    daemonSets.add(new DaemonSetBuilder().withNewMetadata().withName(groupName).withGeneration(1L).endMetadata()
        .withStatus(new DaemonSetStatusBuilder().withObservedGeneration(1L).withDesiredNumberScheduled(2)
            .withUpdatedNumberScheduled(2).withNumberReady(2).build()).build());
    Context<ShipperClass> context = context();

    UpdateControl<ShipperClass> control = reconciler.reconcile(cls, context);

    assertThat(written).hasSize(1);
    ShipperClassStatus status = written.get(0).getStatus();
    assertThat(status.getGroups()).singleElement().satisfies(g -> {
      assertThat(g.name()).isEqualTo(groupName);
      assertThat(g.shipper()).isEqualTo("Ready");
      assertThat(g.pipelines()).extracting(ShipperClassStatus.Member::pipeline).containsExactly("team-a/app", "team-b/app");
    });
    assertThat(state(status, "team-a/app")).isEqualTo(ShipperAdmission.CONFIGURED);
    assertThat(state(status, "team-b/app")).isEqualTo(ShipperAdmission.WAITING_FOR_TOPIC);
    assertThat(status.getPipelines()).isEqualTo(2);
    assertThat(ReconcilerFixtures.workflow(context).reconciles).isEqualTo(1);
    ShipperClassContext shared = ShipperClassContext.of(context);
    assertThat(shared.namespace()).isEqualTo("logging");
    assertThat(shared.shipperClass().getStatus()).isEqualTo(status);
    assertThat(shared.plan().inputs()).containsOnlyKeys(groupName);
    assertThat(shared.plan().inputs().get(groupName)).containsOnlyKeys("team-a.app.yml");
    assertThat(control.isNoUpdate()).isTrue();
    assertThat(control.getScheduleDelay()).isEmpty();
  }

  @Test
  void anUnchangedRecordIsNotWrittenAgain() {
    ShipperClass cls = defaultClass();
    classes.add(cls);
    pipelines.add(pipeline("team-a", "app", true, "2026-01-01T00:00:01Z"));
    reconciler.reconcile(cls, context());
    ShipperClass recorded = written.get(0);
    classes.set(0, recorded);
    written.clear();

    Context<ShipperClass> again = context();
    reconciler.reconcile(recorded, again);

    assertThat(written).isEmpty();
    verify(client, never()).resource(any(ShipperClass.class));
    assertThat(ReconcilerFixtures.workflow(again).reconciles).isEqualTo(1);
    // No DaemonSet yet: the group's shipper is being created.
    assertThat(recorded.getStatus().getGroups().get(0).shipper()).isEqualTo("Creating");
  }

  @Test
  void aChangedInputIsTakenOutAndTheClassLooksAgainOnceFilebeatHasStoppedIt() {
    ShipperClass cls = defaultClass();
    classes.add(cls);
    LogPipeline lp = pipeline("team-a", "app", true, "2026-01-01T00:00:01Z");
    pipelines.add(lp);
    String groupName = group(cls, lp);
    ShipperClassStatus record = new ShipperClassStatus();
    record.setGroups(List.of(new ShipperClassStatus.Group(groupName, "b:9092",
        List.of(new ShipperClassStatus.Member("team-a/app", ShipperAdmission.CONFIGURED, "2026-01-01T00:00:00Z")), null)));
    cls.setStatus(record);
    // What runs: an older input of the pipeline, and the group's filebeat.yml.
    configMaps.add(new ConfigMapBuilder().withNewMetadata().withName(SharedShipperModel.inputsName(groupName))
        .withNamespace("logging").endMetadata().withData(Map.of("team-a.app.yml", "an older input")).build());
    ConfigMap filebeat = new ConfigMapBuilder().withNewMetadata().withName(groupName).withNamespace("logging")
        .endMetadata().withData(Map.of("filebeat.yml", "x")).build();
    configMaps.add(filebeat);
    // The same names elsewhere are not the shared shippers'.
    configMaps.add(new ConfigMapBuilder().withNewMetadata().withName(groupName + "-other").withNamespace("team-a")
        .endMetadata().build());
    Context<ShipperClass> context = context();

    UpdateControl<ShipperClass> control = reconciler.reconcile(cls, context);

    assertThat(state(written.get(0).getStatus(), "team-a/app")).isEqualTo(ShipperAdmission.RECONFIGURING);
    assertThat(control.getScheduleDelay()).contains(WAIT.toMillis());
    assertThat(ShipperClassContext.of(context).actualConfigs()).containsOnlyKeys(groupName)
        .containsEntry(groupName, filebeat);
  }

  @Test
  void inputsOfAnotherNamespaceOrWithoutDataAreNotTheRunningOnes() {
    ShipperClass cls = defaultClass();
    classes.add(cls);
    LogPipeline lp = pipeline("team-a", "app", true, "2026-01-01T00:00:01Z");
    pipelines.add(lp);
    String groupName = group(cls, lp);
    ShipperClassStatus record = new ShipperClassStatus();
    record.setGroups(List.of(new ShipperClassStatus.Group(groupName, "b:9092",
        List.of(new ShipperClassStatus.Member("team-a/app", ShipperAdmission.CONFIGURED, "2026-01-01T00:00:00Z")), null)));
    cls.setStatus(record);
    configMaps.add(new ConfigMapBuilder().withNewMetadata().withName(SharedShipperModel.inputsName(groupName))
        .withNamespace("team-a").endMetadata().withData(Map.of("team-a.app.yml", "an older input")).build());
    configMaps.add(new ConfigMapBuilder().withNewMetadata().withName("lp-shipper-gone-1-inputs")
        .withNamespace("logging").endMetadata().build());
    Context<ShipperClass> context = context();

    UpdateControl<ShipperClass> control = reconciler.reconcile(cls, context);

    assertThat(state(ShipperClassContext.of(context).shipperClass().getStatus(), "team-a/app"))
        .isEqualTo(ShipperAdmission.CONFIGURED);
    assertThat(control.getScheduleDelay()).isEmpty();
    assertThat(ShipperClassContext.of(context).actualConfigs()).isEmpty();
  }

  @Test
  void onlyATrueBufferReadyCountsAsATopicThatIsReady() {
    ShipperClass cls = defaultClass();
    classes.add(cls);
    LogPipeline noStatus = pipeline("team-a", "app", true, "2026-01-01T00:00:01Z");
    noStatus.setStatus(null);
    LogPipeline noConditions = pipeline("team-b", "app", true, "2026-01-01T00:00:02Z");
    noConditions.getStatus().setConditions(null);
    LogPipeline other = pipeline("team-c", "app", false, "2026-01-01T00:00:03Z");
    pipelines.addAll(List.of(noStatus, noConditions, other));

    reconciler.reconcile(cls, context());

    ShipperClassStatus status = written.get(0).getStatus();
    assertThat(state(status, "team-a/app")).isEqualTo(ShipperAdmission.WAITING_FOR_TOPIC);
    assertThat(state(status, "team-b/app")).isEqualTo(ShipperAdmission.WAITING_FOR_TOPIC);
    // ShipperReady is True, BufferReady False.
    assertThat(state(status, "team-c/app")).isEqualTo(ShipperAdmission.WAITING_FOR_TOPIC);
  }

  @Test
  void aStoppingOperatorReconcilesNothing() {
    stopping = true;
    Context<ShipperClass> context = context();
    UpdateControl<ShipperClass> control = reconciler.reconcile(defaultClass(), context);
    assertThat(control.isNoUpdate()).isTrue();
    assertThat(ReconcilerFixtures.workflow(context).reconciles).isZero();
    verify(context, never()).eventSourceRetriever();
  }

  @Test
  void aPipelineMapsToTheClassItNamesEvenBeforeItExistsElseToTheDefault() {
    List<ShipperClass> all = List.of(ShipperClassesTest.shipperClass("default", true),
        ShipperClassesTest.shipperClass("fast", false));
    assertThat(ShipperClassReconciler.classesOf(ShipperClassesTest.naming("fast"), all))
        .containsExactly(new ResourceID("fast"));
    assertThat(ShipperClassReconciler.classesOf(ShipperClassesTest.naming("coming"), all))
        .containsExactly(new ResourceID("coming"));
    assertThat(ShipperClassReconciler.classesOf(ShipperClassesTest.naming(null), all))
        .containsExactly(new ResourceID("default"));
    assertThat(ShipperClassReconciler.classesOf(ShipperClassesTest.naming(null), List.of(all.get(1)))).isEmpty();
  }

  static DaemonSet daemonSet(Long generation, Long observed, Integer desired, Integer updated, Integer ready) {
    var status = observed == null && desired == null ? null : new DaemonSetStatusBuilder().withObservedGeneration(observed)
        .withDesiredNumberScheduled(desired).withUpdatedNumberScheduled(updated).withNumberReady(ready).build();
    return new DaemonSetBuilder().withNewMetadata().withName("ds").withGeneration(generation).endMetadata()
        .withStatus(status).build();
  }

  @Test
  void theGroupsShipperStateHasNoNodeCounts() {
    assertThat(ShipperClassReconciler.shipperState(null)).isEqualTo("Creating");
    assertThat(ShipperClassReconciler.shipperState(daemonSet(2L, null, null, null, null))).isEqualTo("RollingOut");
    assertThat(ShipperClassReconciler.shipperState(daemonSet(2L, 1L, 3, 3, 3))).isEqualTo("RollingOut");
    assertThat(ShipperClassReconciler.shipperState(daemonSet(2L, 2L, 0, 0, 0))).isEqualTo("NoNodes");
    assertThat(ShipperClassReconciler.shipperState(daemonSet(2L, 2L, null, null, null))).isEqualTo("NoNodes");
    assertThat(ShipperClassReconciler.shipperState(daemonSet(2L, 2L, 3, 2, 3))).isEqualTo("RollingOut");
    assertThat(ShipperClassReconciler.shipperState(daemonSet(2L, 2L, 3, 3, 3))).isEqualTo("Ready");
    assertThat(ShipperClassReconciler.shipperState(daemonSet(2L, 2L, 3, 3, 2))).isEqualTo("NodesNotReady");
    assertThat(ShipperClassReconciler.shipperState(daemonSet(2L, 2L, 3, 3, null))).isEqualTo("NodesNotReady");
  }
}
