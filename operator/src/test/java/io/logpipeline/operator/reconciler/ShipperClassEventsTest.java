package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.EventSourceRetriever;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.model.ShipperAdmission;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which pipelines a change of a ShipperClass reconciles: all on a spec change, else those whose place changed. */
class ShipperClassEventsTest {

  final List<LogPipeline> pipelines = new ArrayList<>();
  final ShipperClassEvents events = new ShipperClassEvents();
  EventSourceContext<LogPipeline> context;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void setUp() {
    IndexerResourceCache<LogPipeline> cache = mock(IndexerResourceCache.class);
    when(cache.list(any(Predicate.class))).thenAnswer(inv -> pipelines.stream().filter(inv.getArgument(0)));
    context = new EventSourceContext<>(cache, null, null, LogPipeline.class);
    pipelines.add(pipeline("team-a", "named", "fast"));
    pipelines.add(pipeline("team-b", "unnamed", null));
    pipelines.add(pipeline("team-c", "other", "slow"));
  }

  static LogPipeline pipeline(String namespace, String name, String className) {
    LogPipeline lp = ShipperClassesTest.naming(className);
    lp.getMetadata().setNamespace(namespace);
    lp.getMetadata().setName(name);
    return lp;
  }

  static ShipperClass version(String name, boolean isDefault, String resourceVersion, long generation,
      ShipperClassStatus.Group... groups) {
    ShipperClass cls = ShipperClassesTest.shipperClass(name, isDefault);
    cls.getMetadata().setResourceVersion(resourceVersion);
    cls.getMetadata().setGeneration(generation);
    ShipperClassStatus status = new ShipperClassStatus();
    status.setGroups(List.of(groups));
    cls.setStatus(status);
    return cls;
  }

  static ShipperClassStatus.Group group(String name, String shipper, ShipperClassStatus.Member... members) {
    return new ShipperClassStatus.Group(name, "b:9092", List.of(members), shipper);
  }

  static ShipperClassStatus.Member member(String key, String state) {
    return new ShipperClassStatus.Member(key, state, "2026-01-01T00:00:00Z");
  }

  @Test
  void aClassSeenForTheFirstTimeReconcilesThePipelinesItRuns() {
    assertThat(events.affected(version("fast", false, "1", 1), context))
        .containsExactly(new ResourceID("named", "team-a"));
    assertThat(events.affected(version("default", true, "1", 1), context))
        .containsExactly(new ResourceID("unnamed", "team-b"));
  }

  @Test
  void theSameVersionMapsToTheSamePipelines() {
    var first = events.affected(version("fast", false, "1", 1), context);
    pipelines.add(pipeline("team-d", "later", "fast"));
    assertThat(events.affected(version("fast", false, "1", 1), context)).isEqualTo(first);
    assertThat(events.affected(version("fast", false, "2", 2), context)).hasSize(2);
  }

  @Test
  void aStatusChangeReconcilesOnlyThePipelinesWhosePlaceChanged() {
    events.affected(version("fast", false, "1", 1,
        group("g1", "Ready", member("team-a/named", ShipperAdmission.CONFIGURED),
            member("team-x/same", ShipperAdmission.CONFIGURED), member("team-y/gone", ShipperAdmission.REMOVING))), context);

    var ids = events.affected(version("fast", false, "2", 1,
        group("g1", "Ready", member("team-a/named", ShipperAdmission.RECONFIGURING),
            member("team-x/same", ShipperAdmission.CONFIGURED), member("team-z/new", ShipperAdmission.WAITING_FOR_TOPIC))),
        context);

    assertThat(ids).containsExactlyInAnyOrder(new ResourceID("named", "team-a"), new ResourceID("gone", "team-y"),
        new ResourceID("new", "team-z"));
  }

  @Test
  void aGroupsShipperStateOrAMoveReconcilesItsPipelines() {
    events.affected(version("fast", false, "1", 1, group("g1", "RollingOut", member("team-a/named", "Configured")),
        group("g2", "Ready", member("team-x/moved", "Configured"))), context);
    var ids = events.affected(version("fast", false, "2", 1, group("g1", "Ready", member("team-a/named", "Configured")),
        group("g3", "Ready", member("team-x/moved", "Configured"))), context);
    assertThat(ids).containsExactlyInAnyOrder(new ResourceID("named", "team-a"), new ResourceID("moved", "team-x"));

    var none = events.affected(version("fast", false, "3", 1, group("g1", "Ready", member("team-a/named", "Configured")),
        group("g3", "Ready", member("team-x/moved", "Configured"))), context);
    assertThat(none).isEmpty();
  }

  @Test
  void aStatusWithoutGroupsIsAnEmptyRecord() {
    ShipperClass empty = version("fast", false, "1", 1);
    empty.setStatus(null);
    events.affected(empty, context);
    ShipperClass noGroups = version("fast", false, "2", 1);
    noGroups.getStatus().setGroups(null);
    assertThat(events.affected(noGroups, context)).isEmpty();
    assertThat(events.affected(version("fast", false, "3", 1, group("g1", "Ready", member("team-a/named", "Configured"))),
        context)).containsExactly(new ResourceID("named", "team-a"));
  }

  @Test
  void aSpecChangeOrADefaultFlipOrADeletionReconcilesAllItsPipelines() {
    events.affected(version("default", true, "1", 1), context);
    // No longer the default: the pipelines without a class it ran are told.
    assertThat(events.affected(version("default", false, "2", 1), context))
        .containsExactly(new ResourceID("unnamed", "team-b"));
    // Becoming the default again.
    assertThat(events.affected(version("default", true, "3", 1), context))
        .containsExactly(new ResourceID("unnamed", "team-b"));
    // A status change only, nothing changed place.
    assertThat(events.affected(version("default", true, "4", 1), context)).isEmpty();

    ShipperClass deleting = version("default", true, "5", 1);
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(events.affected(deleting, context)).containsExactly(new ResourceID("unnamed", "team-b"));
  }

  @Test
  void aClassThatIsNotTheDefaultDoesNotReconcileUnnamedPipelines() {
    events.affected(version("fast", false, "1", 1), context);
    assertThat(events.affected(version("fast", false, "2", 2), context))
        .containsExactly(new ResourceID("named", "team-a"));
  }

  @SuppressWarnings("unchecked")
  static Context<LogPipeline> reconcileContext(List<ShipperClass> classes) {
    Context<LogPipeline> context = ReconcilerFixtures.context(null);
    EventSourceRetriever<LogPipeline> retriever = mock(EventSourceRetriever.class);
    InformerEventSource<ShipperClass, LogPipeline> source = mock(InformerEventSource.class);
    when(source.list()).thenAnswer(inv -> classes.stream());
    when(context.eventSourceRetriever()).thenReturn(retriever);
    doReturn(source).when(retriever).getEventSourceFor(ShipperClass.class, ShipperClassEvents.NAME);
    return context;
  }

  @Test
  void aPipelinesClassComesFromTheInformersCache() {
    ShipperClass fast = ShipperClassesTest.shipperClass("fast", false);
    Context<LogPipeline> context = reconcileContext(List.of(fast, ShipperClassesTest.shipperClass("default", true)));
    assertThat(events.of(pipelines.get(0), context)).containsSame(fast);
    assertThat(events.of(pipelines.get(2), context)).isEmpty();
  }

  @Test
  void theClassStillAdmittingAPipelineIsFoundByItsRecord() {
    ShipperClass old = version("old", false, "1", 1, group("g1", "Ready", member("team-a/named", ShipperAdmission.REMOVING)));
    ShipperClass full = version("full", false, "1", 1,
        group("g2", "Ready", member("team-a/named", ShipperAdmission.MAX_PIPELINES_EXCEEDED)));
    assertThat(events.admittedIn(pipelines.get(0), reconcileContext(List.of(full, old)))).contains("old");
    assertThat(events.admittedIn(pipelines.get(0), reconcileContext(List.of(full)))).isEmpty();
    assertThat(events.admittedIn(pipelines.get(1), reconcileContext(List.of(full, old)))).isEmpty();
  }
}
