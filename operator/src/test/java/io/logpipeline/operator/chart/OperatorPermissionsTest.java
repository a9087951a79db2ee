package io.logpipeline.operator.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.BooleanWithUndefined;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.ShipperModel;
import io.logpipeline.operator.reconciler.DeadLetterTemplateDependent;
import io.logpipeline.operator.reconciler.ExternalTopicDependent;
import io.logpipeline.operator.reconciler.IndexTemplateDependent;
import io.logpipeline.operator.reconciler.IndexerKafkaCredentialsDependent;
import io.logpipeline.operator.reconciler.LogstashLegacyDeploymentDependent;
import io.logpipeline.operator.reconciler.LogstashQueueDrainDependent;
import io.logpipeline.operator.reconciler.ShipperKafkaCredentialsDependent;
import io.logpipeline.operator.reconciler.LogPipelineReconciler;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.logpipeline.operator.chart.PermissionList.CLUSTER;
import static io.logpipeline.operator.chart.PermissionList.KAFKA_NAMESPACE;
import static io.logpipeline.operator.chart.PermissionList.LEADER_ELECTION;
import static io.logpipeline.operator.chart.PermissionList.NAMESPACED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Least privilege, both ways: the permission list (operator-permissions.yaml) is exactly what
 * the operator's code uses, and the chart grants exactly the list, whatever the values.
 */
class OperatorPermissionsTest {

  static final PermissionList LIST = PermissionList.load();
  static final String LEASE = "logpipeline-operator-leader";

  // ---- the list against the code -------------------------------------------------------------

  @Test
  void everyEntryIsExplainedAndWellFormed() {
    assertThat(LIST.permissions()).isNotEmpty().allSatisfy(p -> {
      assertThat(p.apiGroup()).as("apiGroup of %s", p.resource()).isNotNull();
      assertThat(p.resource()).isNotBlank().doesNotContain("*");
      assertThat(p.verbs()).as("verbs of %s", p.resource()).isNotEmpty().doesNotHaveDuplicates()
          .allSatisfy(v -> assertThat(v).isIn("get", "list", "watch", "create", "update", "patch", "delete"));
      assertThat(p.scope()).as("scope of %s", p.resource()).isIn(CLUSTER, NAMESPACED, LEADER_ELECTION, KAFKA_NAMESPACE,
          PermissionList.OPERATOR_NAMESPACE);
      assertThat(p.why()).as("why of %s", p.resource()).isNotBlank();
    });
    assertThat(LIST.uses()).as("no (scope, resource, name, verb) listed twice")
        .hasSize(LIST.permissions().stream().mapToInt(p -> p.verbs().size() * p.names().size()).sum());
  }

  /**
   * Every dependent of the workflow, with the verbs its JOSDK base class issues: list and watch
   * (informer), create when a Creator (POST), update when an Updater (PUT, since server-side apply
   * is off), delete when JOSDK deletes it (a Deleter that is not garbage-collected, or one behind
   * a condition). Scope: cluster when the resource is cluster-scoped or its informer watches all
   * namespaces, else the watched namespaces.
   */
  @Test
  void dependentsAppearWithExactlyTheVerbsJosdkUsesForThem() throws Exception {
    Map<ResourceInScope, Set<String>> derived = dependentUses();
    assertThat(derived).as("Kubernetes dependents of the workflow").isNotEmpty();
    derived.forEach((resource, verbs) -> {
      Set<String> listed = listedVerbs(resource.scope(), resource.apiGroup(), resource.resource());
      assertThat(listed).as("verbs listed for %s (%s), derived from the dependents' classes",
          resource.resource(), resource.scope()).containsExactlyInAnyOrderElementsOf(verbs);
    });
  }

  // That the operator writes without server-side apply (create, update, JSON patch: the verbs
  // above) is checked on its recorded requests, in OperatorRequestsTest.

  @Test
  void thePrimaryResourceIsListedWithFinalizerPatchesAndStatusUpdates() {
    Class<?> primary = primaryType();
    assertThat(primary).isEqualTo(LogPipeline.class);
    String group = HasMetadata.getGroup(LogPipeline.class);
    String plural = HasMetadata.getPlural(LogPipeline.class);
    assertThat(Namespaced.class.isAssignableFrom(primary)).isTrue();
    // A Cleaner gets a finalizer, which JOSDK adds and removes with a JSON patch and, on a
    // conflict, re-reads the resource by name (get) before retrying.
    assertThat(Cleaner.class.isAssignableFrom(LogPipelineReconciler.class)).isTrue();
    assertThat(listedVerbs(NAMESPACED, group, plural)).containsExactlyInAnyOrder("get", "list", "watch", "patch");
    // The status is replaced whole with optimistic locking (PUT), never patched.
    assertThat(listedVerbs(NAMESPACED, group, plural + "/status")).containsExactly("update");
    // What blockOwnerDeletion on the children's owner references takes (OwnedDependent).
    assertThat(listedVerbs(NAMESPACED, group, plural + "/finalizers")).containsExactly("update");
  }

  @Test
  void directCallsOutsideTheWorkflowAreListed() throws Exception {
    // ClusterReferences and IndexTemplateDependent: Secrets by name; the Kafka credentials
    // dependents: their copies (read, written, deleted when no longer needed) and, in the Kafka
    // namespace, Strimzi's Secrets; LogPipelineReconciler.event: core/v1 Events;
    // ClusterReferences: the Kafka CRD by name and the named Kafka.
    assertThat(listedVerbs(NAMESPACED, "", "secrets")).containsExactly("get", "create", "update", "delete");
    assertThat(listedVerbs(KAFKA_NAMESPACE, "", "secrets")).containsExactly("get");
    // SharedShipperCredentialsDependent: each shared group's copy, by name only.
    assertThat(listedVerbs(PermissionList.OPERATOR_NAMESPACE, "", "secrets"))
        .containsExactly("get", "create", "update", "delete");
    assertThat(listedVerbs(NAMESPACED, "", "events")).containsExactly("create");
    assertThat(listedVerbs(CLUSTER, "kafka.strimzi.io", "kafkas")).containsExactly("get");
    assertThat(listedVerbs(CLUSTER, "kafka.strimzi.io", "kafkanodepools")).containsExactly("list");
    // ShipperNodes' informer
    assertThat(listedVerbs(CLUSTER, "", "nodes")).contains("list", "watch");
    var crd = Class.forName("io.logpipeline.operator.reconciler.ClusterReferences").getDeclaredField("KAFKA_CRD");
    crd.setAccessible(true);
    assertThat(LIST.uses()).filteredOn(u -> u.resource().equals("customresourcedefinitions"))
        .containsExactly(new PermissionList.Use(CLUSTER, "apiextensions.k8s.io", "customresourcedefinitions",
            (String) crd.get(null), "get"));
    // That the operator makes these calls is checked on its recorded requests (OperatorRequestsTest).
  }

  @Test
  void leaderElectionNeedsItsLeaseOnly() {
    assertThat(LIST.uses()).filteredOn(u -> u.scope().equals(LEADER_ELECTION)).containsExactlyInAnyOrder(
        new PermissionList.Use(LEADER_ELECTION, "coordination.k8s.io", "leases", "", "create"),
        new PermissionList.Use(LEADER_ELECTION, "coordination.k8s.io", "leases", LEASE, "get"),
        new PermissionList.Use(LEADER_ELECTION, "coordination.k8s.io", "leases", LEASE, "update"),
        new PermissionList.Use(LEADER_ELECTION, "coordination.k8s.io", "leases", LEASE, "patch"));
  }

  /**
   * The Lease the list names is the operator's default; RunCommandProcessTest runs {@code run
   * --leader-election} and finds it released, OperatorRequestsTest records the requests to it.
   */
  @Test
  void leaderElectionUsesTheLeaseTheListNames() {
    assertThat(io.logpipeline.operator.reconciler.LogPipelineOperator.LeaderElection.DEFAULT_LEASE_NAME)
        .isEqualTo(LEASE);
  }

  /** RBAC escalation prevention: the operator can create a ClusterRole only with what it holds. */
  @Test
  void theOperatorHoldsEverythingItsFilebeatClusterRoleGrants() throws Exception {
    Set<PermissionList.Use> filebeat = filebeatClusterRoleUses();
    assertThat(filebeat).isNotEmpty();
    assertThat(LIST.uses()).containsAll(filebeat);
  }

  /** No entry the code does not account for: the list is the union of the above, nothing else. */
  @Test
  void theListHoldsNothingElse() throws Exception {
    Set<PermissionList.Use> accounted = new LinkedHashSet<>();
    dependentUses().forEach((r, verbs) -> verbs.forEach(v ->
        accounted.add(new PermissionList.Use(r.scope(), r.apiGroup(), r.resource(), "", v))));
    String group = HasMetadata.getGroup(LogPipeline.class);
    String plural = HasMetadata.getPlural(LogPipeline.class);
    for (String verb : List.of("get", "list", "watch", "patch")) {
      accounted.add(new PermissionList.Use(NAMESPACED, group, plural, "", verb));
    }
    accounted.add(new PermissionList.Use(NAMESPACED, group, plural + "/status", "", "update"));
    accounted.add(new PermissionList.Use(NAMESPACED, group, plural + "/finalizers", "", "update"));
    for (String verb : List.of("list", "watch")) {
      accounted.add(new PermissionList.Use(CLUSTER, group, "shipperclasses", "", verb));
    }
    accounted.add(new PermissionList.Use(CLUSTER, group, "shipperclasses/status", "", "update"));
    accounted.addAll(filebeatClusterRoleUses());
    for (String verb : List.of("get", "create", "update", "delete")) {
      accounted.add(new PermissionList.Use(NAMESPACED, "", "secrets", "", verb));
    }
    accounted.add(new PermissionList.Use(KAFKA_NAMESPACE, "", "secrets", "", "get"));
    for (String verb : List.of("get", "create", "update", "delete")) {
      accounted.add(new PermissionList.Use(PermissionList.OPERATOR_NAMESPACE, "", "secrets", "", verb));
    }
    accounted.add(new PermissionList.Use(NAMESPACED, "", "events", "", "create"));
    accounted.add(new PermissionList.Use(CLUSTER, "kafka.strimzi.io", "kafkas", "", "get"));
    accounted.add(new PermissionList.Use(CLUSTER, "kafka.strimzi.io", "kafkanodepools", "", "list"));
    for (String verb : List.of("list", "watch")) {
      accounted.add(new PermissionList.Use(CLUSTER, "", "nodes", "", verb));
    }
    accounted.add(new PermissionList.Use(CLUSTER, "apiextensions.k8s.io", "customresourcedefinitions",
        "kafkas.kafka.strimzi.io", "get"));
    accounted.add(new PermissionList.Use(LEADER_ELECTION, "coordination.k8s.io", "leases", "", "create"));
    for (String verb : List.of("get", "update", "patch")) {
      accounted.add(new PermissionList.Use(LEADER_ELECTION, "coordination.k8s.io", "leases", LEASE, verb));
    }
    assertThat(LIST.uses()).containsExactlyInAnyOrderElementsOf(accounted);
  }

  // ---- the chart against the list ------------------------------------------------------------

  @Test
  void defaultValuesGrantExactlyTheListClusterWide() {
    List<HasMetadata> objects = Chart.render();
    assertGrants(objects, List.of(), false);
  }

  @Test
  void watchedNamespacesGrantTheNamespacedPartInRolesAndTheRestInTheClusterRole() {
    List<HasMetadata> objects = Chart.render(Chart.resource("values-namespaced.yaml"), Map.of());
    assertGrants(objects, List.of("team-a", "team-b"), List.of("kafka"), true);
  }

  @Test
  void moreReplicasAddOnlyTheLeaseRole() {
    List<HasMetadata> objects = Chart.render(null, Map.of("replicas", 3));
    assertGrants(objects, List.of(), true);
    List<HasMetadata> forced = Chart.render(null, Map.of("leaderElection.enabled", true));
    assertGrants(forced, List.of(), true);
  }

  @Test
  void aNamespaceWatchedAndHoldingTheOperatorGetsBothRoles() {
    List<HasMetadata> objects = Chart.render(null,
        Map.of("watchNamespaces[0]", Chart.NAMESPACE, "replicas", 2));
    assertGrants(objects, List.of(Chart.NAMESPACE), true);
  }

  @Test
  void withoutRbacNothingIsGranted() {
    List<HasMetadata> objects = Chart.render(null, Map.of("rbac.create", false, "replicas", 2,
        "watchNamespaces[0]", "team-a"));
    assertThat(objects).noneMatch(o -> o.getApiVersion().startsWith("rbac.authorization.k8s.io/"));
  }

  private static void assertGrants(List<HasMetadata> objects, List<String> watched, boolean leaderElection) {
    assertGrants(objects, watched, List.of(), leaderElection);
  }

  private static void assertGrants(List<HasMetadata> objects, List<String> watched, List<String> kafka,
      boolean leaderElection) {
    Set<Rbac.Grant> granted = Rbac.grants(objects, Chart.NAMESPACE, Chart.FULLNAME);
    Set<Rbac.Grant> expected = LIST.expectedGrants(watched, kafka, leaderElection, Chart.NAMESPACE);
    Set<String> more = difference(granted, expected);
    Set<String> less = difference(expected, granted);
    assertThat(more).as("granted by the chart but not in operator-permissions.yaml").isEmpty();
    assertThat(less).as("in operator-permissions.yaml but not granted by the chart").isEmpty();
  }

  private static Set<String> difference(Set<Rbac.Grant> a, Set<Rbac.Grant> b) {
    return a.stream().filter(g -> !b.contains(g)).map(Object::toString).collect(Collectors.toCollection(TreeSet::new));
  }

  // ---- derivations from the code -------------------------------------------------------------

  /** A resource in a scope. */
  record ResourceInScope(String scope, String apiGroup, String resource) {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  static Map<ResourceInScope, Set<String>> dependentUses() throws Exception {
    Workflow workflow = LogPipelineReconciler.class.getAnnotation(Workflow.class);
    assertThat(workflow).as("@Workflow on LogPipelineReconciler").isNotNull();
    Map<ResourceInScope, Set<String>> uses = new LinkedHashMap<>();
    List<Class<?>> external = new ArrayList<>();
    // The ShipperClass controller: bulk dependents, owned by the class; the namespaced ones are
    // watched in the operator's namespace only (LogPipelineOperator sets their informers there).
    Workflow shipperClassWorkflow = io.logpipeline.operator.reconciler.ShipperClassReconciler.class
        .getAnnotation(Workflow.class);
    for (Dependent d : shipperClassWorkflow.dependents()) {
      DependentResource dependent = d.type().getDeclaredConstructor().newInstance();
      if (!(dependent instanceof KubernetesDependentResource)) {
        // The credentials' copies: direct calls, checked below.
        continue;
      }
      Class<? extends HasMetadata> resourceType = (Class<? extends HasMetadata>) dependent.resourceType();
      KubernetesDependent config = d.type().getAnnotation(KubernetesDependent.class);
      boolean everywhere = config != null && Arrays.asList(config.informer().namespaces())
          .contains(Constants.WATCH_ALL_NAMESPACES);
      Set<String> verbs = new LinkedHashSet<>(List.of("list", "watch"));
      if (dependent instanceof Creator) {
        verbs.add("create");
      }
      if (dependent instanceof Updater) {
        verbs.add("update");
      }
      if (dependent instanceof io.javaoperatorsdk.operator.processing.dependent.BulkDependentResource) {
        verbs.add("delete");
      }
      String scope = Namespaced.class.isAssignableFrom(resourceType) && !everywhere
          ? PermissionList.OPERATOR_NAMESPACE : CLUSTER;
      uses.computeIfAbsent(new ResourceInScope(scope, HasMetadata.getGroup(resourceType), HasMetadata.getPlural(resourceType)),
          k -> new LinkedHashSet<>()).addAll(verbs);
    }
    for (Dependent d : workflow.dependents()) {
      Class<? extends DependentResource> type = d.type();
      DependentResource dependent = type.getDeclaredConstructor().newInstance();
      if (!(dependent instanceof KubernetesDependentResource)) {
        external.add(type);
        continue;
      }
      Class<? extends HasMetadata> resourceType = (Class<? extends HasMetadata>) dependent.resourceType();
      KubernetesDependent config = type.getAnnotation(KubernetesDependent.class);
      assertThat(config == null ? BooleanWithUndefined.UNDEFINED : config.useSSA())
          .as("%s: server-side apply would make create and update a patch", type.getSimpleName())
          .isNotEqualTo(BooleanWithUndefined.TRUE);
      Set<String> verbs = new LinkedHashSet<>(List.of("list", "watch"));
      if (dependent instanceof Creator) {
        verbs.add("create");
      }
      if (dependent instanceof Updater) {
        verbs.add("update");
      }
      boolean conditional = d.reconcilePrecondition() != Condition.class
          || d.activationCondition() != Condition.class;
      if (dependent instanceof Deleter && (!(dependent instanceof GarbageCollected) || conditional)) {
        verbs.add("delete");
      }
      List<String> namespaces = Arrays.asList(config == null
          ? new String[] {Constants.SAME_AS_CONTROLLER} : config.informer().namespaces());
      String scope;
      if (!Namespaced.class.isAssignableFrom(resourceType)
          || namespaces.equals(List.of(Constants.WATCH_ALL_NAMESPACES))) {
        scope = CLUSTER;
      } else if (namespaces.equals(List.of(Constants.SAME_AS_CONTROLLER))) {
        scope = NAMESPACED;
      } else {
        throw new AssertionError(type.getSimpleName() + " watches " + namespaces + ": decide its scope");
      }
      uses.computeIfAbsent(new ResourceInScope(scope, HasMetadata.getGroup(resourceType), HasMetadata.getPlural(resourceType)),
          k -> new LinkedHashSet<>()).addAll(verbs);
    }
    // The credential copies talk to Kubernetes, but by hand (no informer keeps Secrets): their
    // calls are accounted for with the direct calls.
    assertThat(external).as("dependents without an informer").containsExactlyInAnyOrder(
        IndexTemplateDependent.class, DeadLetterTemplateDependent.class, ExternalTopicDependent.class,
        ShipperKafkaCredentialsDependent.class, IndexerKafkaCredentialsDependent.class);
    DIRECT.forEach((owner, calls) -> calls.forEach((resource, verbs) ->
        uses.computeIfAbsent(resource, k -> new LinkedHashSet<>()).addAll(verbs)));
    return uses;
  }

  /**
   * What dependents call beyond what JOSDK does for them: the legacy Deployment is deleted once
   * the StatefulSet is ready; the queue drain scales the StatefulSet to 0 (PUT) on deletion,
   * creates and deletes drain Jobs, which the reconciler watches (list, watch).
   */
  static final Map<Class<?>, Map<ResourceInScope, List<String>>> DIRECT = Map.of(
      LogstashLegacyDeploymentDependent.class,
      Map.of(new ResourceInScope(NAMESPACED, "apps", "deployments"), List.of("delete")),
      LogstashQueueDrainDependent.class,
      Map.of(new ResourceInScope(NAMESPACED, "apps", "statefulsets"), List.of("update"),
          new ResourceInScope(NAMESPACED, "batch", "jobs"), List.of("list", "watch", "create", "delete")));

  static Set<String> listedVerbs(String scope, String apiGroup, String resource) {
    return LIST.uses().stream()
        .filter(u -> u.scope().equals(scope) && u.apiGroup().equals(apiGroup) && u.resource().equals(resource))
        .map(PermissionList.Use::verb)
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  static Class<?> primaryType() {
    for (var type : LogPipelineReconciler.class.getGenericInterfaces()) {
      if (type instanceof ParameterizedType p && p.getRawType() == Reconciler.class) {
        return (Class<?>) p.getActualTypeArguments()[0];
      }
    }
    throw new AssertionError("LogPipelineReconciler implements no Reconciler<P>");
  }

  /** "verb resource" of what the Filebeat ClusterRole grants. */
  static Set<String> filebeatGrants() {
    try {
      return filebeatClusterRoleUses().stream().map(u -> u.verb() + " " + u.resource())
          .collect(Collectors.toCollection(TreeSet::new));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rules of the ClusterRole the operator creates for Filebeat, for a sample pipeline. */
  static Set<PermissionList.Use> filebeatClusterRoleUses() throws Exception {
    LogPipeline lp = (LogPipeline) Serialization.unmarshal(Files.readString(Paths.get("../samples/minimal.yaml")));
    Set<PermissionList.Use> uses = new LinkedHashSet<>();
    for (PolicyRule rule : ShipperModel.clusterRole(Pipeline.resolve(lp)).getRules()) {
      for (Rbac.Grant g : Rbac.expand(null, List.of(rule))) {
        uses.add(new PermissionList.Use(CLUSTER, g.apiGroup(), g.resource(), g.resourceName(), g.verb()));
      }
    }
    return uses;
  }
}
