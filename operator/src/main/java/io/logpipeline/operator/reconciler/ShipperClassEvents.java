package io.logpipeline.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.model.ShipperAdmission;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ShipperClasses as the LogPipeline controller sees them. A change of a class reconciles only
 * the pipelines whose place in its record changed (or all of its pipelines when its spec or
 * default annotation did): the record changes with every admission, and a class may serve a
 * thousand pipelines.
 */
final class ShipperClassEvents {

  static final String NAME = "shipper-classes";
  /**
   * The last version of each class the mapper saw, and what it mapped to. JOSDK calls the mapper
   * more than once per event (for its index, then to propagate the event): the same version
   * maps to the same pipelines.
   */
  private final Map<String, Mapped> seen = new ConcurrentHashMap<>();

  private record Mapped(ShipperClass before, ShipperClass cls, Set<ResourceID> ids) {}

  InformerEventSource<ShipperClass, LogPipeline> eventSource(EventSourceContext<LogPipeline> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration
        .from(ShipperClass.class, LogPipeline.class)
        .withName(NAME)
        .withSecondaryToPrimaryMapper(cls -> affected(cls, context))
        .build(), context);
  }

  synchronized Set<ResourceID> affected(ShipperClass cls, EventSourceContext<LogPipeline> context) {
    String name = cls.getMetadata().getName();
    Mapped last = seen.get(name);
    if (last != null && Objects.equals(last.cls().getMetadata().getResourceVersion(),
        cls.getMetadata().getResourceVersion())) {
      return last.ids();
    }
    ShipperClass before = last == null ? null : last.cls();
    Set<ResourceID> ids = affected(before, cls, context);
    seen.put(name, new Mapped(before, cls, ids));
    return ids;
  }

  private static Set<ResourceID> affected(ShipperClass before, ShipperClass cls,
      EventSourceContext<LogPipeline> context) {
    String name = cls.getMetadata().getName();
    Set<ResourceID> ids = new HashSet<>();
    boolean all = before == null
        || !Objects.equals(before.getMetadata().getGeneration(), cls.getMetadata().getGeneration())
        || before.isDefault() != cls.isDefault() || cls.getMetadata().getDeletionTimestamp() != null;
    if (all) {
      context.getPrimaryCache().list(lp -> name.equals(ShipperClasses.className(lp))
              || (ShipperClasses.className(lp) == null && (cls.isDefault() || before != null && before.isDefault())))
          .forEach(lp -> ids.add(ResourceID.fromResource(lp)));
      return ids;
    }
    Map<String, String> old = places(before.getStatus());
    Map<String, String> now = places(cls.getStatus());
    Set<String> keys = new HashSet<>(old.keySet());
    keys.addAll(now.keySet());
    for (String key : keys) {
      if (!Objects.equals(old.get(key), now.get(key))) {
        String[] nsName = key.split("/", 2);
        ids.add(new ResourceID(nsName[1], nsName[0]));
      }
    }
    return ids;
  }

  /** Per pipeline: its group, state and the group's shipper state. */
  private static Map<String, String> places(ShipperClassStatus status) {
    Map<String, String> places = new java.util.HashMap<>();
    if (status == null || status.getGroups() == null) {
      return places;
    }
    for (ShipperClassStatus.Group g : status.getGroups()) {
      for (ShipperClassStatus.Member m : g.pipelines()) {
        places.put(m.pipeline(), g.name() + "|" + m.state() + "|" + g.shipper());
      }
    }
    return places;
  }

  @SuppressWarnings("unchecked")
  private static List<ShipperClass> classes(Context<LogPipeline> context) {
    var source = (InformerEventSource<ShipperClass, LogPipeline>)
        context.eventSourceRetriever().getEventSourceFor(ShipperClass.class, NAME);
    return source.list().toList();
  }

  /** The pipeline's class, from the informer's cache. */
  Optional<ShipperClass> of(LogPipeline lp, Context<LogPipeline> context) {
    return ShipperClasses.of(lp, classes(context));
  }

  /** The class whose record still admits the pipeline (its input may still be loaded), if any. */
  Optional<String> admittedIn(LogPipeline lp, Context<LogPipeline> context) {
    String key = lp.getMetadata().getNamespace() + "/" + lp.getMetadata().getName();
    return classes(context).stream()
        .filter(c -> ShipperAdmission.find(c.getStatus(), key)
            .filter(e -> ShipperAdmission.admitted(e.getValue().state())).isPresent())
        .map(c -> c.getMetadata().getName())
        .findFirst();
  }
}
