package io.logpipeline.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.model.CanaryModel;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemoryTemplates;
import io.logpipeline.operator.elastic.LifecycleApi;
import io.logpipeline.operator.elastic.SearchClient;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.elastic.SimulatedLifecycle;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.reconciler.IndexSetup;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The privileges the search user needs, per product: every request the operator makes to the
 * search cluster maps to the privilege that allows it (from each product's API documentation),
 * and the roles the samples give their users grant all of them. A new kind of request without a
 * privilege here fails the test, and so does a sample whose role lacks one.
 *
 * <p>Sources: Elasticsearch's API pages list the privilege under "Prerequisites" (index
 * templates: manage_index_templates; ILM policies: manage_ilm, and manage on the indices, as ILM
 * acts with the privileges of the user who last wrote the policy; create data stream:
 * create_index; get data stream: view_index_metadata; bulk into a data stream: create_doc).
 * OpenSearch: the security plugin's permission list (index_template, data_stream and ISM actions)
 * and the index-management security page (ISM APIs other than policy CRUD also need
 * indices:admin/opensearch/ism/managedindex on the indices).
 */
class SearchPrivilegesTest {
  // Logstash writes canaries to CanaryModel.INDEX; the operator reads them and <index>*.

  /** What one request needs: cluster-wide, or on the pipeline's indices. */
  record Privilege(boolean cluster, String name) {}

  static final Map<String, List<Privilege>> ELASTICSEARCH = Map.of(
      "getIndexTemplate", List.of(cluster("manage_index_templates")),
      "putIndexTemplate", List.of(cluster("manage_index_templates")),
      "deleteIndexTemplate", List.of(cluster("manage_index_templates")),
      "getLifecyclePolicy", List.of(cluster("manage_ilm")),
      "putLifecyclePolicy", List.of(cluster("manage_ilm"), index("manage")),
      "deleteLifecyclePolicy", List.of(cluster("manage_ilm")),
      "dataStreamExists", List.of(index("view_index_metadata")),
      "createDataStream", List.of(index("create_index")),
      // The flow observer: newest event, dead letters (on <index>*) and the canaries.
      "multiSearch", List.of(index("read")));

  static final Map<String, List<Privilege>> OPENSEARCH = Map.of(
      "getIndexTemplate", List.of(cluster("indices:admin/index_template/get")),
      "putIndexTemplate", List.of(cluster("indices:admin/index_template/put")),
      "deleteIndexTemplate", List.of(cluster("indices:admin/index_template/delete")),
      "getLifecyclePolicy", List.of(cluster("cluster:admin/opendistro/ism/policy/get")),
      "putLifecyclePolicy", List.of(cluster("cluster:admin/opendistro/ism/policy/write")),
      "deleteLifecyclePolicy", List.of(cluster("cluster:admin/opendistro/ism/policy/delete")),
      "changeManagedIndicesPolicy", List.of(cluster("cluster:admin/opendistro/ism/managedindex/change"),
          index("indices:admin/opensearch/ism/managedindex")),
      "dataStreamExists", List.of(index("indices:admin/data_stream/get")),
      "createDataStream", List.of(index("indices:admin/data_stream/create")),
      "multiSearch", List.of(index("indices:data/read/msearch"), index("indices:data/read/search")));

  /** What Logstash needs to write the canaries into their index (creating it). */
  static final Map<Flavor, List<Privilege>> LOGSTASH_CANARY = Map.of(
      Flavor.ELASTICSEARCH, List.of(index("index"), index("create_index")),
      Flavor.OPENSEARCH, List.of(index("indices:data/write/bulk*"), index("indices:data/write/index"),
          index("indices:admin/create"), index("indices:admin/mapping/put")));

  /** What Logstash needs to write to a data stream with the same user. */
  static final Map<Flavor, List<Privilege>> LOGSTASH_DATA_STREAM = Map.of(
      Flavor.ELASTICSEARCH, List.of(index("create_doc")),
      Flavor.OPENSEARCH, List.of(index("indices:data/write/bulk*"), index("indices:data/write/index"),
          index("indices:admin/mapping/put")));

  static Privilege cluster(String name) {
    return new Privilege(true, name);
  }

  static Privilege index(String name) {
    return new Privilege(false, name);
  }

  /** The methods the operator calls for a data stream pipeline: create, update, delete. */
  static Set<String> requests(Flavor flavor) throws Exception {
    LifecycleApi api = flavor == Flavor.OPENSEARCH ? LifecycleApi.ISM : LifecycleApi.ILM;
    SimulatedLifecycle lifecycle = new SimulatedLifecycle(api);
    Set<String> called = new LinkedHashSet<>();
    SearchClient simulated = lifecycle.clients(connection -> new InMemoryTemplates())
        .client(SearchConnection.plain(URI.create("http://127.0.0.1:9200")));
    SearchClient recording = (SearchClient) Proxy.newProxyInstance(SearchPrivilegesTest.class.getClassLoader(),
        new Class<?>[] {SearchClient.class}, (proxy, method, args) -> {
          called.add(method.getName());
          try {
            return method.invoke(simulated, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    IndexSetup.converge(recording, pipeline(flavor, "30d"));
    IndexSetup.converge(recording, pipeline(flavor, "7d"));
    IndexSetup.remove(recording, pipeline(flavor, "7d"));
    // A poll of the flow observer (its Kafka unknown here: only the search requests matter).
    Pipeline p = pipeline(flavor, "7d");
    p.resource().getMetadata().setUid("uid-1");
    try (var observer = new io.logpipeline.operator.health.FlowObserver(
        new io.logpipeline.operator.kafka.KafkaClients(c -> { throw new IllegalStateException(); }),
        new io.logpipeline.operator.elastic.SearchClients(c -> recording),
        io.logpipeline.operator.health.CanarySender.none(), new io.logpipeline.operator.health.FlowMetrics(null),
        java.time.Clock.systemUTC(), java.time.Duration.ofMinutes(1), java.time.Duration.ofMinutes(5), () -> true)) {
      observer.watch(io.logpipeline.operator.health.FlowTarget.of(p, null, "not asked",
          SearchConnection.plain(URI.create("http://127.0.0.1:9200"))));
      observer.poll();
    }
    called.remove("close");
    return called;
  }


  static Pipeline pipeline(Flavor flavor, String deleteAfter) throws Exception {
    LogPipeline lp = io.logpipeline.operator.TestLogPipelines.minimal("orders", "logging",
        "http://127.0.0.1:9200");
    lp.getSpec().getElasticsearch().setFlavor(flavor);
    lp.getSpec().getElasticsearch().getTemplate().setDataStream(true);
    LifecycleSpec l = new LifecycleSpec();
    l.setRolloverMaxAge("1d");
    l.setDeleteAfter(deleteAfter);
    lp.getSpec().getElasticsearch().setLifecycle(l);
    return Pipeline.resolve(lp);
  }

  @Test
  void everyRequestTheOperatorMakesHasADocumentedPrivilege() throws Exception {
    assertThat(requests(Flavor.ELASTICSEARCH)).containsExactlyInAnyOrderElementsOf(
        new TreeSet<>(ELASTICSEARCH.keySet()));
    assertThat(requests(Flavor.OPENSEARCH)).containsExactlyInAnyOrderElementsOf(
        new TreeSet<>(OPENSEARCH.keySet()));
  }

  @Test
  void theSamplesRolesGrantThem() throws Exception {
    int checked = 0;
    for (Path sample : InvalidCorpus.samples()) {
      LogPipeline lp = (LogPipeline) Serialization.unmarshal(Files.readString(sample));
      if (lp.getSpec().getElasticsearch().getCredentialsSecret() == null) {
        continue;
      }
      Flavor flavor = lp.getSpec().getElasticsearch().getFlavor();
      Pipeline p = Pipeline.resolve(lp);
      JsonNode role = role(sample);
      List<Privilege> needed = new ArrayList<>();
      (flavor == Flavor.OPENSEARCH ? OPENSEARCH : ELASTICSEARCH).values().forEach(needed::addAll);
      if (p.dataStream()) {
        needed.addAll(LOGSTASH_DATA_STREAM.get(flavor));
      }
      for (Privilege privilege : needed) {
        assertThat(granted(role, flavor, p.index(), privilege)).as("%s grants %s on %s", sample.getFileName(),
            privilege, p.index()).isTrue();
      }
      List<Privilege> canary = new ArrayList<>(LOGSTASH_CANARY.get(flavor));
      canary.addAll((flavor == Flavor.OPENSEARCH ? OPENSEARCH : ELASTICSEARCH).get("multiSearch"));
      for (Privilege privilege : canary) {
        assertThat(granted(role, flavor, CanaryModel.INDEX, privilege)).as("%s grants %s on %s",
            sample.getFileName(), privilege, CanaryModel.INDEX).isTrue();
      }
      checked++;
    }
    assertThat(checked).as("samples with credentials (one per flavor)").isGreaterThanOrEqualTo(2);
  }

  /** The role JSON in the sample's comment: the lines after "PUT/POST ...role...", up to "#". */
  static JsonNode role(Path sample) throws IOException {
    List<String> lines = Files.readAllLines(sample);
    StringBuilder json = new StringBuilder();
    boolean in = false;
    for (String line : lines) {
      if (line.matches("^#\\s+(PUT|POST) _(plugins/_security/api/roles|security/role)/.*")) {
        in = true;
        continue;
      }
      if (in && line.strip().equals("#")) {
        break;
      }
      if (in) {
        json.append(line.replaceFirst("^#", "")).append('\n');
      }
    }
    assertThat(json).as("a role in the comments of %s", sample).isNotEmpty();
    return new ObjectMapper().readTree(json.toString());
  }

  static boolean granted(JsonNode role, Flavor flavor, String index, Privilege privilege) {
    boolean opensearch = flavor == Flavor.OPENSEARCH;
    if (privilege.cluster()) {
      return contains(role.path(opensearch ? "cluster_permissions" : "cluster"), privilege.name());
    }
    for (JsonNode entry : role.path(opensearch ? "index_permissions" : "indices")) {
      boolean covers = false;
      for (JsonNode pattern : entry.path(opensearch ? "index_patterns" : "names")) {
        String p = pattern.asText();
        covers |= p.endsWith("*") ? index.startsWith(p.substring(0, p.length() - 1)) : index.equals(p);
      }
      if (covers && contains(entry.path(opensearch ? "allowed_actions" : "privileges"), privilege.name())) {
        return true;
      }
    }
    return false;
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode v : array) {
      if (v.asText().equals(value)) {
        return true;
      }
    }
    return false;
  }
}
