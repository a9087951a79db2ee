package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * The operator's only door to Elasticsearch or OpenSearch: composable index templates, which both
 * products serve under the same {@code _index_template} API.
 */
public interface SearchClient extends AutoCloseable {

  /** The template as the server stores it, or empty when there is none by that name. */
  Optional<ObjectNode> getIndexTemplate(String name) throws SearchException;

  /** Creates or replaces the template ({@code PUT _index_template/<name>}). */
  void putIndexTemplate(String name, ObjectNode body) throws SearchException;

  /** Deletes the template; returns false when it did not exist. */
  boolean deleteIndexTemplate(String name) throws SearchException;

  @Override
  void close();
}
