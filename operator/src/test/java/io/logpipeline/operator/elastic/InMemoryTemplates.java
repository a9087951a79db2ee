package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A search cluster reduced to its index templates and data streams, in memory, with no lifecycle
 * API: for tests about something else, or (behind {@link SimulatedLifecycle}) for an ILM template,
 * which no search server in a test JVM accepts.
 */
public final class InMemoryTemplates implements SearchClient {

  public final Map<String, ObjectNode> templates = new ConcurrentHashMap<>();
  public final Set<String> dataStreams = ConcurrentHashMap.newKeySet();

  @Override
  public Optional<ObjectNode> getIndexTemplate(String name) {
    return Optional.ofNullable(templates.get(name)).map(ObjectNode::deepCopy);
  }

  @Override
  public void putIndexTemplate(String name, ObjectNode body) {
    templates.put(name, body.deepCopy());
  }

  @Override
  public boolean deleteIndexTemplate(String name) {
    return templates.remove(name) != null;
  }

  @Override
  public Optional<StoredPolicy> getLifecyclePolicy(LifecycleApi api, String name)
      throws SearchException {
    throw unsupported(api);
  }

  @Override
  public void putLifecyclePolicy(LifecycleApi api, String name, ObjectNode body,
      StoredPolicy current) throws SearchException {
    throw unsupported(api);
  }

  @Override
  public PolicyDeletion deleteLifecyclePolicy(LifecycleApi api, String name)
      throws SearchException {
    throw unsupported(api);
  }

  @Override
  public int changeManagedIndicesPolicy(String name, List<String> patterns)
      throws SearchException {
    throw unsupported(LifecycleApi.ISM);
  }

  @Override
  public boolean dataStreamExists(String name) {
    return dataStreams.contains(name);
  }

  @Override
  public void createDataStream(String name) {
    dataStreams.add(name);
  }

  /** Holds no documents: every search finds nothing, as on an empty cluster. */
  @Override
  public List<com.fasterxml.jackson.databind.JsonNode> multiSearch(List<Search> searches) {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    return searches.stream().<com.fasterxml.jackson.databind.JsonNode>map(s -> {
      var answer = json.createObjectNode();
      answer.putObject("hits").putObject("total").put("value", 0);
      answer.with("hits").putArray("hits");
      return answer;
    }).toList();
  }

  @Override
  public void close() {}

  private static SearchException unsupported(LifecycleApi api) {
    return new SearchException(SearchException.Reason.Unsupported, "in-memory cluster has no " + api);
  }
}
