package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.KafkaUserModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.SharedShipperModel;
import io.logpipeline.operator.model.ShipperAdmission;
import io.strimzi.api.kafka.model.user.KafkaUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Reconciles a ShipperClass: the one writer of its shared shippers. From all LogPipelines of the
 * class it plans admission ({@link ShipperAdmission}), records the plan in the class's status
 * first (so that an operator restart continues from it), then applies each group's objects in
 * the operator's namespace through the workflow of bulk dependents. JOSDK runs one reconcile per
 * class at a time, so concurrent pipeline changes never overwrite each other's inputs.
 */
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = "shared-shipper-config", type = SharedShipperConfigMapsDependent.class),
    @Dependent(name = "shared-shipper-serviceaccount", type = SharedShipperServiceAccountDependent.class),
    @Dependent(name = "shared-shipper-clusterrole", type = SharedShipperClusterRoleDependent.class),
    @Dependent(name = "shared-shipper-clusterrolebinding", type = SharedShipperClusterRoleBindingDependent.class,
        dependsOn = {"shared-shipper-clusterrole", "shared-shipper-serviceaccount"}),
    // After the inputs: a topic's write access goes only once its input is out.
    @Dependent(name = "shared-shipper-kafka-user", type = SharedShipperKafkaUserDependent.class,
        dependsOn = "shared-shipper-config"),
    @Dependent(name = "shared-shipper-kafka-credentials", type = SharedShipperCredentialsDependent.class,
        dependsOn = "shared-shipper-kafka-user"),
    @Dependent(name = "shared-shipper", type = SharedShipperDaemonSetDependent.class,
        dependsOn = {"shared-shipper-config", "shared-shipper-clusterrolebinding", "shared-shipper-kafka-credentials"}),
})
@ControllerConfiguration(name = ShipperClassReconciler.NAME)
public class ShipperClassReconciler implements Reconciler<ShipperClass> {

  public static final String NAME = "shipperclass";
  /** The dependents whose objects live in the operator's namespace, by name. */
  static final Map<String, Class<? extends io.fabric8.kubernetes.api.model.HasMetadata>> NAMESPACED_DEPENDENTS = Map.of(
      "shared-shipper-config", ConfigMap.class,
      "shared-shipper-serviceaccount", io.fabric8.kubernetes.api.model.ServiceAccount.class,
      "shared-shipper", DaemonSet.class);
  static final String PIPELINES = "logpipelines";
  private static final Logger log = LoggerFactory.getLogger(ShipperClassReconciler.class);

  private final String namespace;
  private final Set<String> watchedNamespaces;
  private final Clock clock;
  private final Duration reloadWait;
  private final BooleanSupplier stopping;

  /**
   * @param namespace the operator's namespace, where the shared shippers run
   * @param watchedNamespaces where LogPipelines are watched; empty: everywhere
   * @param reloadWait how long after an input leaves its ConfigMap Filebeat is taken to have
   *     stopped it: kubelet's refresh of a mounted ConfigMap (up to its sync period, a minute by
   *     default) and Filebeat's reload period
   */
  public ShipperClassReconciler(String namespace, Set<String> watchedNamespaces, Clock clock,
      Duration reloadWait, BooleanSupplier stopping) {
    this.namespace = namespace;
    this.watchedNamespaces = watchedNamespaces;
    this.clock = clock;
    this.reloadWait = reloadWait;
    this.stopping = stopping;
  }

  /** The LogPipelines, each mapped to the class it names, or to the default class. */
  @Override
  public List<EventSource<?, ShipperClass>> prepareEventSources(EventSourceContext<ShipperClass> context) {
    var config = InformerEventSourceConfiguration.from(LogPipeline.class, ShipperClass.class)
        .withName(PIPELINES)
        .withSecondaryToPrimaryMapper(lp -> classesOf(lp, context.getPrimaryCache().list().toList()));
    if (!watchedNamespaces.isEmpty()) {
      config.withNamespaces(watchedNamespaces);
    }
    return List.of(new InformerEventSource<>(config.build(), context));
  }

  /** The class a LogPipeline names, else the default class (the first by name when several). */
  static Set<ResourceID> classesOf(LogPipeline lp, List<ShipperClass> classes) {
    return ShipperClasses.of(lp, classes).map(c -> Set.of(new ResourceID(c.getMetadata().getName())))
        .orElseGet(() -> {
          String named = ShipperClasses.className(lp);
          return named == null ? Set.of() : Set.of(new ResourceID(named));
        });
  }

  @Override
  public UpdateControl<ShipperClass> reconcile(ShipperClass read, Context<ShipperClass> context) {
    ShipperClass cls = read;
    if (stopping.getAsBoolean()) {
      return UpdateControl.noUpdate();
    }
    @SuppressWarnings("unchecked")
    InformerEventSource<LogPipeline, ShipperClass> pipelines = (InformerEventSource<LogPipeline, ShipperClass>)
        context.eventSourceRetriever().getEventSourceFor(LogPipeline.class, PIPELINES);
    List<ShipperClass> classes = context.getPrimaryCache().list().toList();
    String className = read.getMetadata().getName();
    List<ShipperAdmission.Candidate> candidates = pipelines.list(lp -> ShipperClasses.of(lp, classes)
            .filter(c -> c.getMetadata().getName().equals(className)).isPresent())
        .map(lp -> candidate(lp, read)).toList();
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Map<String, ConfigMap> configs = new HashMap<>();
    context.getSecondaryResourcesAsStream(ConfigMap.class)
        .filter(cm -> namespace.equals(cm.getMetadata().getNamespace()))
        .forEach(cm -> {
          String name = cm.getMetadata().getName();
          if (name.endsWith("-inputs")) {
            inputs.put(name.substring(0, name.length() - "-inputs".length()),
                cm.getData() == null ? Map.of() : cm.getData());
          } else {
            configs.put(name, cm);
          }
        });
    Map<String, KafkaUser> users = context.getSecondaryResourcesAsStream(KafkaUser.class)
        .collect(Collectors.toMap(u -> u.getMetadata().getName(), u -> u, (a, b) -> a));
    Map<String, DaemonSet> daemonSets = context.getSecondaryResourcesAsStream(DaemonSet.class)
        .collect(Collectors.toMap(ds -> ds.getMetadata().getName(), ds -> ds, (a, b) -> a));
    ShipperAdmission.Plan plan = ShipperAdmission.plan(cls, candidates, inputs, kafkaUsers(users),
        clock.instant(), reloadWait);
    ShipperClassStatus status = plan.status();
    status.setGroups(status.getGroups().stream()
        .map(g -> g.withShipper(shipperState(daemonSets.get(g.name())))).toList());
    // The record first: what the ConfigMaps are about to say is then never newer than the record
    // an operator restart continues from.
    if (!Objects.equals(status, cls.getStatus())) {
      log.info("admission of ShipperClass {}: {}", cls.getMetadata().getName(), summary(status));
      cls = PrimaryUpdateAndCacheUtils.updateAndCacheResource(cls, context, r -> {
        r.setStatus(status);
        return r;
      }, r -> context.getClient().resource(r).updateStatus(), 0,
          PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_TIMEOUT_MILLIS,
          PrimaryUpdateAndCacheUtils.DEFAULT_RESOURCE_CACHE_POLL_PERIOD_MILLIS);
    }
    ShipperClassContext.put(context, new ShipperClassContext(cls, namespace, plan, configs, users, daemonSets));
    context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    UpdateControl<ShipperClass> control = UpdateControl.noUpdate();
    return plan.recheck().map(control::rescheduleAfter).orElse(control);
  }

  /** The groups' KafkaUsers as Strimzi reports them, for admission. */
  static ShipperAdmission.KafkaUsers kafkaUsers(Map<String, KafkaUser> users) {
    return new ShipperAdmission.KafkaUsers() {
      @Override
      public Set<String> listed(String group) {
        KafkaUser user = users.get(group);
        return user == null ? null : KafkaUserModel.topics(user);
      }

      @Override
      public boolean applied(String group) {
        KafkaUser user = users.get(group);
        if (user == null || user.getStatus() == null || user.getStatus().getConditions() == null) {
          return false;
        }
        // Ready for an older spec says nothing of the ACL just added.
        return Objects.equals(user.getStatus().getObservedGeneration(), user.getMetadata().getGeneration())
            && user.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      }
    };
  }

  private static ShipperAdmission.Candidate candidate(LogPipeline lp, ShipperClass cls) {
    String key = lp.getMetadata().getNamespace() + "/" + lp.getMetadata().getName();
    Pipeline p;
    boolean denied = false;
    try {
      p = Pipeline.resolve(lp);
      denied = !SharedShipperModel.tenancyProblems(p, cls.getSpec()).isEmpty();
    } catch (InvalidSpecException | RuntimeException e) {
      p = null;
    }
    boolean topicReady = lp.getStatus() != null && lp.getStatus().getConditions() != null
        && lp.getStatus().getConditions().stream().anyMatch(c ->
            PipelineHealth.BUFFER_READY.equals(c.getType()) && "True".equals(c.getStatus()));
    return new ShipperAdmission.Candidate(key, p, lp.getMetadata().getDeletionTimestamp() != null,
        topicReady, lp.getMetadata().getCreationTimestamp(), denied);
  }

  /**
   * The DaemonSet's state without node counts: they change at every node during a rollout, and
   * every pipeline of the group would have its status written each time.
   */
  static String shipperState(DaemonSet ds) {
    if (ds == null) {
      return "Creating";
    }
    var s = ds.getStatus();
    if (s == null || !Objects.equals(s.getObservedGeneration(), ds.getMetadata().getGeneration())) {
      return PipelineHealth.ROLLING_OUT;
    }
    int desired = orZero(s.getDesiredNumberScheduled());
    if (desired == 0) {
      return "NoNodes";
    }
    if (orZero(s.getUpdatedNumberScheduled()) < desired) {
      return PipelineHealth.ROLLING_OUT;
    }
    return orZero(s.getNumberReady()) >= desired ? "Ready" : "NodesNotReady";
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static String summary(ShipperClassStatus status) {
    List<String> parts = new ArrayList<>();
    for (var g : status.getGroups()) {
      Map<String, Long> states = g.pipelines().stream()
          .collect(Collectors.groupingBy(ShipperClassStatus.Member::state, Collectors.counting()));
      parts.add(g.name() + " " + states);
    }
    return parts.isEmpty() ? "no pipelines" : String.join("; ", parts);
  }
}
