package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Optional;

/**
 * The operator's only door to Elasticsearch or OpenSearch: composable index templates, which both
 * products serve under the same {@code _index_template} API; lifecycle policies (ILM or ISM); data
 * streams.
 */
public interface SearchClient extends AutoCloseable {

  /** The template as the server stores it, or empty when there is none by that name. */
  Optional<ObjectNode> getIndexTemplate(String name) throws SearchException;

  /** Creates or replaces the template ({@code PUT _index_template/<name>}). */
  void putIndexTemplate(String name, ObjectNode body) throws SearchException;

  /** Deletes the template; returns false when it did not exist. */
  boolean deleteIndexTemplate(String name) throws SearchException;

  /**
   * The policy as the cluster stores it, or empty when there is none by that name. This is also
   * how the operator learns whether the cluster has the API at all.
   *
   * @throws SearchException with reason {@link SearchException.Reason#Unsupported} when the
   *     cluster does not serve {@code api}
   */
  Optional<StoredPolicy> getLifecyclePolicy(LifecycleApi api, String name) throws SearchException;

  /**
   * Creates or replaces the policy. ISM refuses to replace a policy without the sequence number
   * and primary term it was read with: pass the stored one, or null to create.
   */
  void putLifecyclePolicy(LifecycleApi api, String name, ObjectNode body, StoredPolicy current)
      throws SearchException;

  /** What became of a policy the operator tried to delete. */
  enum PolicyDeletion {
    DELETED,
    ABSENT,
    /** ILM refuses to delete a policy that indices use; they keep being aged out by it. */
    IN_USE
  }

  /** Deletes the policy, unless (ILM) indices still use it. */
  PolicyDeletion deleteLifecyclePolicy(LifecycleApi api, String name) throws SearchException;

  /**
   * ISM only: moves the indices matching {@code patterns} that the policy manages to its current
   * version ({@code change_policy}); ISM keeps each managed index on the version it started with.
   *
   * @return how many indices were updated
   */
  int changeManagedIndicesPolicy(String name, List<String> patterns) throws SearchException;

  /** Whether the data stream exists. */
  boolean dataStreamExists(String name) throws SearchException;

  /** Creates the data stream (and its first backing index) from the template that matches it. */
  void createDataStream(String name) throws SearchException;

  /** One search of a multi-search: the indices (patterns allowed) and the request body. */
  record Search(String indices, ObjectNode body) {}

  /**
   * Runs the searches in one {@code _msearch} request. Indices that do not exist are no error:
   * their search finds nothing.
   *
   * @return one answer per search, in order: the search's response, or an object with its
   *     {@code error}
   */
  List<com.fasterxml.jackson.databind.JsonNode> multiSearch(List<Search> searches) throws SearchException;

  @Override
  void close();
}
