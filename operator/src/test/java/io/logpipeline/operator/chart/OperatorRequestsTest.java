package io.logpipeline.operator.chart;

import io.logpipeline.operator.ApiSemantics;
import io.logpipeline.operator.TestLogPipelines;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.elastic.SearchClient;
import io.logpipeline.operator.elastic.InMemoryTemplates;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.reconciler.LogPipelineOperator;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's real requests against the chart's real RBAC: the JOSDK operator runs against
 * the fabric8 mock API server, watching one namespace as the chart's watchNamespaces would set
 * it up, through a pipeline's whole life (create, drift, spec change, invalid spec, delete);
 * every request it makes must be allowed by what the chart grants for that install, evaluated
 * as Kubernetes' RBAC authorizer would.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorRequestsTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  static final String NS = "logging";
  static final String KAFKA_NS = "kafka";
  static final String OPERATOR_AGENT = "logpipeline-operator-under-test";

  /** A request as RBAC sees it. */
  record ApiRequest(String verb, String apiGroup, String resource, String namespace, String name, String line,
      String contentType) {
    @Override
    public String toString() {
      return verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource
          + (name == null ? "" : " " + name) + (namespace == null ? "" : " in " + namespace) + "   [" + line + "]";
    }
  }

  /** Strimzi's Kafka CRD and a Kafka, and the Secret the pipelines name. */
  @BeforeAll
  static void world() {
    ApiSemantics.apply(server, client);
    TestLogPipelines.installStrimziKafka(client, KAFKA_NS);
    TestLogPipelines.installStrimziNodePools(client);
    TestLogPipelines.nodePool(client, KAFKA_NS, "brokers", "my-cluster", 3, "broker");
    client.resource(new SecretBuilder().withNewMetadata().withName("my-cluster-cluster-ca-cert")
        .withNamespace(KAFKA_NS).endMetadata()
        .addToStringData("ca.crt", "-----BEGIN CERTIFICATE-----\nthe cluster CA\n-----END CERTIFICATE-----\n")
        .build()).create();
    client.resource(new SecretBuilder().withNewMetadata().withName("es-creds").withNamespace(NS).endMetadata()
        .addToStringData("username", "logstash").addToStringData("password", "secret").build()).create();
  }

  @Test
  void everyRequestOfAPipelinesLifeIsAllowedByTheChart() throws Exception {
    List<ApiRequest> requests = recordOperator(LogPipelineOperator.Options.defaults().withNamespaces(Set.of(NS)),
        OperatorRequestsTest::lifeOfAPipeline);

    // The chart installed as the operator ran here (watching "logging", with Strimzi's Secrets
    // read in "kafka", one replica), and the chart's defaults (every namespace).
    assertAllowed(requests, Chart.render(null, Map.of("watchNamespaces[0]", NS, "kafkaNamespaces[0]", KAFKA_NS)));
    assertAllowed(requests, Chart.render());

    // The scenario exercised the verbs it was built to exercise (so "allowed" above is not vacuous).
    Set<String> seen = requests.stream().map(r -> r.verb() + " " + r.resource())
        .collect(Collectors.toCollection(TreeSet::new));
    assertThat(seen).contains(
        "list logpipelines", "watch logpipelines", "patch logpipelines", "update logpipelines/status",
        "create configmaps", "update configmaps", "create serviceaccounts", "create services",
        "create daemonsets", "create statefulsets", "update statefulsets", "create poddisruptionbudgets",
        "create clusterroles", "update clusterroles", "delete clusterroles",
        "create clusterrolebindings", "delete clusterrolebindings",
        "list kafkatopics", "watch kafkatopics", "create kafkatopics", "update kafkatopics", "delete kafkatopics",
        "get secrets", "create events", "get kafkas", "get customresourcedefinitions",
        "create jobs", "delete jobs", "delete persistentvolumeclaims", "delete deployments",
        "list shipperclasses", "watch shipperclasses", "update shipperclasses/status",
        "delete daemonsets", "delete configmaps", "delete serviceaccounts");
    // The operator's writes are the verbs the permission list grants for them, as it sends them:
    // create and update, never server-side apply (which would be a patch of every object); the
    // finalizer a JSON patch; the status a PUT of the subresource.
    assertThat(requests).as("server-side apply requests")
        .noneMatch(r -> r.contentType().equals("application/apply-patch+yaml"));
    assertThat(requests).filteredOn(r -> r.verb().equals("patch"))
        .extracting(ApiRequest::resource, ApiRequest::contentType)
        .containsOnly(org.assertj.core.groups.Tuple.tuple("logpipelines", "application/json-patch+json"));
    // What the reconciler reads outside the workflow, by name: the Kafka CRD and the Kafka, the
    // Secret with the search credentials, and the copies of a pipeline's Kafka credentials.
    assertThat(requests).filteredOn(r -> r.resource().equals("customresourcedefinitions"))
        .extracting(ApiRequest::verb, ApiRequest::name).containsOnly(org.assertj.core.groups.Tuple.tuple("get",
            "kafkas.kafka.strimzi.io"));
    assertThat(requests).filteredOn(r -> r.resource().equals("secrets") && r.name() != null)
        .extracting(ApiRequest::name).allMatch(name -> name.equals("es-creds") || name.matches("(audit|secure|queued|moved)-kafka-(shipper|indexer)")
            || name.matches("logging\\.secure-(shipper|indexer)") || name.equals("my-cluster-cluster-ca-cert")
            || name.matches("lp-shipper-requests-[0-9a-f]{8}(-kafka)?"),
            "the search credentials, the Kafka credential copies (a pipeline's, a shared Filebeat's), Strimzi's"
                + " user Secrets (a pipeline's, a shared Filebeat group's) and its cluster CA");
    // Every use the list names outside leader election (which the next test covers) is exercised,
    // but for what this scenario cannot make happen: the update that puts back a child it did
    // not edit, the read-back of a LogPipeline after a conflicting finalizer patch (both derived
    // from the classes in OperatorPermissionsTest), and the rights no request needs: what the
    // Filebeat ClusterRole grants (held to grant it), the finalizers update of blockOwnerDeletion.
    Set<String> listed = PermissionList.load().uses().stream()
        .filter(u -> !u.scope().equals(PermissionList.LEADER_ELECTION))
        .map(u -> u.verb() + " " + u.resource())
        .collect(Collectors.toCollection(TreeSet::new));
    listed.removeAll(seen);
    listed.removeAll(OperatorPermissionsTest.filebeatGrants());
    assertThat(listed).as("listed but not exercised")
        .allMatch(u -> u.startsWith("update ") || u.equals("get logpipelines"))
        .contains("update logpipelines/finalizers");
  }

  @Test
  void leaderElectionIsAllowedByTheChartsLeaseRole() throws Exception {
    List<HasMetadata> chart = Chart.render(null, Map.of("watchNamespaces[0]", NS, "replicas", 2));
    // JOSDK asks the API server what it may do with Leases before it starts; answer what the
    // chart grants in the release's namespace (the mock server would echo the review back).
    var rules = Rbac.grants(chart, Chart.NAMESPACE, Chart.FULLNAME).stream()
        .filter(g -> g.namespace() == null || g.namespace().equals(Chart.NAMESPACE))
        .map(g -> new ResourceRuleBuilder().withApiGroups(g.apiGroup()).withResources(g.resource())
            .withVerbs(g.verb()).withResourceNames(g.resourceName().isEmpty() ? List.of() : List.of(g.resourceName()))
            .build())
        .toList();
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
            .withResourceRules(rules).endStatus().build())
        .always();
    var election = LogPipelineOperator.LeaderElection.of(Chart.NAMESPACE, "operator-0")
        .withTimings(Duration.ofSeconds(2), Duration.ofMillis(1500), Duration.ofMillis(200))
        .withOnLostLeadership(() -> { });

    List<ApiRequest> requests = recordOperator(LogPipelineOperator.Options.defaults()
        .withNamespaces(Set.of(NS)).withLeaderElection(election), () -> {
          client.resource(pipeline("elected", "7d")).create();
          await().atMost(Duration.ofSeconds(30)).until(() ->
              client.apps().daemonSets().inNamespace(NS).withName("elected-filebeat").get() != null);
          client.resources(LogPipeline.class).inNamespace(NS).withName("elected").delete();
          await().atMost(Duration.ofSeconds(30)).until(() -> current("elected") == null);
        });

    assertAllowed(requests, chart);
    assertThat(requests).filteredOn(r -> r.resource().equals("leases"))
        .extracting(r -> r.verb() + " " + r.namespace())
        .contains("create " + Chart.NAMESPACE, "get " + Chart.NAMESPACE, "patch " + Chart.NAMESPACE,
            "update " + Chart.NAMESPACE);
    // By name, the one Lease the list and the chart name.
    assertThat(requests).filteredOn(r -> r.resource().equals("leases") && !r.verb().equals("create"))
        .extracting(ApiRequest::name).containsOnly(OperatorPermissionsTest.LEASE);
    assertThat(client.leases().inNamespace(Chart.NAMESPACE).withName(OperatorPermissionsTest.LEASE).get())
        .as("the Lease the chart grants access to").isNotNull();
  }

  /** The API requests the operator makes while the scenario runs, from its start to its close. */
  private static List<ApiRequest> recordOperator(LogPipelineOperator.Options options, Runnable scenario)
      throws Exception {
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // requests made before: the test's own, or an earlier test's
    }
    Config config = new ConfigBuilder(client.getConfiguration()).build();
    config.setUserAgent(OPERATOR_AGENT);
    try (KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(config).build()) {
      LogPipelineOperator operator = LogPipelineOperator.start(operatorClient, io.logpipeline.operator.elastic.InMemorySearch.clients(),
          options.withRetry(Duration.ofMillis(200), Duration.ofSeconds(1))
              .withReferenceRecheck(Duration.ofSeconds(1))
              .withOperatorNamespace(Chart.NAMESPACE)
              .withInputReloadWait(Duration.ofSeconds(1)));
      try {
        scenario.run();
      } finally {
        operator.close();
      }
    }
    List<ApiRequest> requests = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (RecordedRequest r = server.takeRequest(100, TimeUnit.MILLISECONDS); r != null;
        r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
      if (OPERATOR_AGENT.equals(r.getHeader("User-Agent"))) {
        String line = r.getMethod() + " " + r.getPath();
        parse(r.getMethod(), r.getPath(), r.getHeader("Content-Type")).ifPresentOrElse(requests::add,
            () -> other.add(line));
      }
    }
    assertThat(requests).as("the operator's requests").hasSizeGreaterThan(10);
    // Granted to every authenticated user by Kubernetes' default roles (grantedByKubernetes).
    assertThat(other).as("non-resource requests (discovery, version)")
        .allSatisfy(r -> assertThat(URI.create(r.split(" ", 2)[1]).getPath())
            .matches("/api(/v1)?|/apis(/[^/]+(/[^/]+)?)?|/version"));
    return requests;
  }

  /** Every request allowed by the chart's RBAC, or by what Kubernetes grants every user. */
  private static void assertAllowed(List<ApiRequest> requests, List<HasMetadata> chart) {
    Set<Rbac.Grant> grants = Rbac.grants(chart, Chart.NAMESPACE, Chart.FULLNAME);
    Set<String> refused = new TreeSet<>();
    for (ApiRequest r : requests) {
      boolean byKubernetes = r.verb().equals("create") && r.apiGroup().equals("authorization.k8s.io")
          && r.resource().equals("selfsubjectrulesreviews");
      if (!byKubernetes && !Rbac.allows(grants, r.namespace(), r.apiGroup(), r.resource(), r.name(), r.verb())) {
        refused.add(r.toString());
      }
    }
    assertThat(refused).as("requests the chart's RBAC would refuse").isEmpty();
  }

  /** Create, drift on three kinds of children, a spec change, an invalid pipeline, delete both. */
  private static void lifeOfAPipeline() {
    client.resource(pipeline("audit", "7d")).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> topic("audit") != null && clusterRole("audit") != null
        && client.apps().statefulSets().inNamespace(NS).withName("audit-logstash").get() != null
        && current("audit").getStatus() != null);

    // Drift: each is put back with an update.
    client.configMaps().inNamespace(NS).withName("audit-filebeat")
        .edit(cm -> { cm.setData(Map.of("filebeat.yml", "edited by hand")); return cm; });
    client.rbac().clusterRoles().withName(clusterRole("audit").getMetadata().getName())
        .edit(r -> { r.setRules(List.of(new PolicyRuleBuilder().withApiGroups("").withResources("pods")
            .withVerbs("get").build())); return r; });
    client.resources(KafkaTopic.class).inNamespace(KAFKA_NS).withName("logs.logging.audit")
        .edit(t -> { t.getSpec().setPartitions(3); return t; });
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      ConfigMap cm = client.configMaps().inNamespace(NS).withName("audit-filebeat").get();
      return cm != null && !"edited by hand".equals(cm.getData().get("filebeat.yml"))
          && clusterRole("audit").getRules().size() > 1
          && topic("audit").getSpec().getPartitions() == 6;
    });

    // A spec change rolls the indexer.
    LogPipeline lp = current("audit");
    lp.getSpec().getIndexer().setFilter("mutate { add_tag => [\"v2\"] }");
    client.resource(lp).update();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        client.configMaps().inNamespace(NS).withName("audit-logstash").get().getData().values().stream()
            .anyMatch(v -> v.contains("v2")));

    // Kafka with SCRAM: KafkaUsers in the Kafka namespace, copies of their Secrets beside the
    // pods; turning it off removes both. Strimzi's User Operator is played by the test's own
    // controllers, whose requests are not the operator's.
    try (var strimzi = io.logpipeline.operator.SimulatedControllers.start(client, 3)) {
      LogPipeline secure = pipeline("secure", "7d");
      secure.getSpec().getKafka().setTls(new io.logpipeline.operator.api.KafkaTlsSpec());
      var auth = new io.logpipeline.operator.api.KafkaAuthenticationSpec();
      auth.setType(io.logpipeline.operator.api.KafkaAuthenticationType.SCRAM_SHA_512);
      secure.getSpec().getKafka().setAuthentication(auth);
      client.resource(secure).create();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.secrets().inNamespace(NS).withName("secure-kafka-shipper").get() != null
              && client.secrets().inNamespace(NS).withName("secure-kafka-indexer").get() != null);
      TestLogPipelines.edit(client, NS, "secure", changed -> {
        changed.getSpec().getKafka().setAuthentication(null);
        changed.getSpec().getKafka().setTls(null);
      });
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.secrets().inNamespace(NS).withName("secure-kafka-shipper").get() == null
              && client.resources(io.strimzi.api.kafka.model.user.KafkaUser.class).inNamespace(KAFKA_NS)
                  .list().getItems().isEmpty());
      client.resources(LogPipeline.class).inNamespace(NS).withName("secure").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> current("secure") == null);

      // Queue volumes: the Deployment of the previous version goes once the StatefulSet is ready;
      // a scale-down drains the removed replica's volume with a Job, then deletes both; the
      // deletion drains and deletes the rest.
      LogPipeline queued = client.resource(pipeline("queued", "7d")).create();
      io.logpipeline.operator.model.Pipeline p;
      try {
        p = io.logpipeline.operator.model.Pipeline.resolve(queued);
      } catch (io.logpipeline.operator.model.InvalidSpecException e) {
        throw new AssertionError(e);
      }
      client.resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
          .withMetadata(p.metadata(p.indexerName(), io.logpipeline.operator.model.Pipeline.COMPONENT_INDEXER,
              "logstash"))
          .editMetadata().addNewOwnerReference().withApiVersion("logpipeline.io/v1alpha1").withKind("LogPipeline")
              .withName("queued").withUid(queued.getMetadata().getUid()).withController(true).endOwnerReference()
          .endMetadata()
          .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(p.selectorLabels("logstash")).endSelector()
              .withNewTemplate().withNewMetadata().withLabels(p.labels(
                  io.logpipeline.operator.model.Pipeline.COMPONENT_INDEXER, "logstash")).endMetadata()
              .withNewSpec().addNewContainer().withName("logstash").withImage("logstash").endContainer().endSpec()
              .endTemplate().endSpec()
          .build()).create();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.apps().deployments().inNamespace(NS).withName("queued-logstash").get() == null
              && queueClaims("queued") == 2);
      TestLogPipelines.edit(client, NS, "queued", changed -> changed.getSpec().getIndexer().setReplicas(1));
      await().atMost(Duration.ofSeconds(60)).until(() ->
          queueClaims("queued") == 1 && client.batch().v1().jobs().inNamespace(NS).list().getItems().isEmpty());
      client.resources(LogPipeline.class).inNamespace(NS).withName("queued").delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> current("queued") == null && queueClaims("queued") == 0);

    // An invalid pipeline: a Warning Event.
    client.resource(pipeline("broken", "7 days")).create();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        client.v1().events().inNamespace(NS).list().getItems().stream()
            .anyMatch(e -> "broken".equals(e.getInvolvedObject().getName())));

    // Delete: the finalizer removes the cluster-scoped objects and the topic, then itself.
    client.resources(LogPipeline.class).inNamespace(NS).withName("audit").delete();
    client.resources(LogPipeline.class).inNamespace(NS).withName("broken").delete();
    // (the simulated controllers run the Jobs that drain the queue volumes of "audit")
    await().atMost(Duration.ofSeconds(60)).until(() ->
        current("audit") == null && current("broken") == null && topic("audit") == null);
    }

    // A ShipperClass: the pipeline moves from its own Filebeat (deleted once its input is live in
    // the shared one, in the operator's namespace) and, on deletion, its input and then the
    // whole group go. The topic's Ready is Strimzi's, played by the test's controllers.
    try (var strimzi = io.logpipeline.operator.SimulatedControllers.start(client, 3)) {
      var cls = new io.logpipeline.operator.api.ShipperClass();
      cls.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("requests").build());
      client.resource(cls).create();
      client.resource(pipeline("moved", "7d")).create();
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.apps().daemonSets().inNamespace(NS).withName("moved-filebeat").get() != null);
      TestLogPipelines.edit(client, NS, "moved", changed -> {
        var shipper = new io.logpipeline.operator.api.ShipperSpec();
        shipper.setClassName("requests");
        changed.getSpec().setShipper(shipper);
      });
      await().atMost(Duration.ofSeconds(60)).until(() ->
          client.apps().daemonSets().inNamespace(NS).withName("moved-filebeat").get() == null
              && !client.apps().daemonSets().inNamespace(Chart.NAMESPACE).list().getItems().isEmpty());
      client.resources(LogPipeline.class).inNamespace(NS).withName("moved").delete();
      await().atMost(Duration.ofSeconds(60)).until(() -> current("moved") == null
          && client.apps().daemonSets().inNamespace(Chart.NAMESPACE).list().getItems().isEmpty());
      client.resource(cls).delete();
    }
  }

  private static long queueClaims(String pipeline) {
    return client.persistentVolumeClaims().inNamespace(NS).list().getItems().stream()
        .filter(c -> c.getMetadata().getName().startsWith("queue-" + pipeline + "-logstash-")).count();
  }

  /** Parses a request path the way the API server does for authorization; empty for non-resource URLs. */
  static Optional<ApiRequest> parse(String method, String pathAndQuery, String contentType) {
    URI uri = URI.create(pathAndQuery);
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    List<String> segments = new ArrayList<>(Arrays.stream(uri.getPath().split("/")).filter(s -> !s.isEmpty()).toList());
    String group;
    List<String> rest;
    if (segments.size() >= 2 && segments.get(0).equals("api")) {
      group = "";
      rest = segments.subList(2, segments.size());
    } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
      group = segments.get(1);
      rest = segments.subList(3, segments.size());
    } else {
      return Optional.empty();
    }
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    String namespace = null;
    if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    String resource = rest.get(0);
    String name = rest.size() > 1 ? rest.get(1) : null;
    if (rest.size() > 2) {
      resource = resource + "/" + rest.get(2);
    }
    boolean watch = "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
    String verb = switch (method) {
      case "GET", "HEAD" -> watch ? "watch" : name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name == null ? "deletecollection" : "delete";
      default -> method.toLowerCase();
    };
    return Optional.of(new ApiRequest(verb, group, resource, namespace, name, method + " " + pathAndQuery,
        contentType == null ? "" : contentType.split(";")[0].trim()));
  }

  // ---- the world around the operator ---------------------------------------------------------

  private static LogPipeline pipeline(String name, String retention) {
    LogPipeline lp = TestLogPipelines.minimal(name, NS, "http://search.example:9200");
    LogPipelineSpec spec = lp.getSpec();
    spec.getSources().setExcludeNamespaces(List.of("kube-system"));
    spec.getKafka().setNamespace(KAFKA_NS);
    spec.getKafka().getTopic().setRetention(retention);
    CredentialsSecretRef creds = new CredentialsSecretRef();
    creds.setName("es-creds");
    spec.getElasticsearch().setCredentialsSecret(creds);
    spec.setDeletionPolicy(DeletionPolicy.Delete);
    return lp;
  }

  private static LogPipeline current(String name) {
    return client.resources(LogPipeline.class).inNamespace(NS).withName(name).get();
  }

  private static KafkaTopic topic(String name) {
    return client.resources(KafkaTopic.class).inNamespace(KAFKA_NS).withName("logs.logging." + name).get();
  }

  private static ClusterRole clusterRole(String name) {
    return client.rbac().clusterRoles().withName("logpipeline:" + NS + ":" + name + ":filebeat").get();
  }
}
