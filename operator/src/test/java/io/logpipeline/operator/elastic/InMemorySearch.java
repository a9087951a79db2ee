package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Search clients that keep index templates in memory, for tests that are not about the search cluster. */
public final class InMemorySearch {

  private InMemorySearch() {}

  public static SearchClients clients() {
    Map<String, ObjectNode> templates = new ConcurrentHashMap<>();
    return new SearchClients(connection -> new SearchClient() {
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
      public void close() {}
    });
  }
}
