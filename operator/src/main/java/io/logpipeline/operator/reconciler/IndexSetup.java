package io.logpipeline.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.elastic.LifecycleApi;
import io.logpipeline.operator.elastic.SearchClient;
import io.logpipeline.operator.elastic.SearchException;
import io.logpipeline.operator.elastic.StoredPolicy;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.LifecyclePolicyModel;
import io.logpipeline.operator.model.Pipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline's objects in the search cluster, converged in the order they must exist: the
 * lifecycle policy, the index template that refers to it, then the data stream the template
 * makes. Each is read back and written only when its hash differs, so drift is put back and a
 * current cluster sees no write. JOSDK-free, so it runs against real servers in tests as it does
 * in {@link IndexTemplateDependent}.
 */
public final class IndexSetup {

  private static final Logger log = LoggerFactory.getLogger(IndexSetup.class);

  /**
   * What converging did.
   *
   * @param templateHash the hash of the template now in the cluster
   * @param created true when the template did not exist before
   * @param written true when anything was written
   * @param lifecycleUnavailable the reason the cluster cannot take the lifecycle policy (the
   *     template was then written without it), or null
   */
  public record Result(String templateHash, boolean created, boolean written,
      StageException lifecycleUnavailable) {}

  private IndexSetup() {}

  /**
   * Converges policy, template and data stream.
   *
   * @throws StageException when the cluster cannot be reached or refuses, or an object by the
   *     pipeline's name belongs to another LogPipeline
   */
  public static Result converge(SearchClient client, Pipeline p) {
    String self = owner(p);
    LifecycleApi api = LifecyclePolicyModel.api(p);
    String policyName = p.indexNames().policyName();
    ObjectNode policy = LifecyclePolicyModel.body(p);
    boolean written = false;
    boolean attached = false;
    StageException unavailable = null;
    try {
      if (policy != null) {
        try {
          written |= convergePolicy(client, p, api, policyName, policy);
          attached = true;
        } catch (SearchException e) {
          if (e.reason() != SearchException.Reason.Unsupported) {
            throw e;
          }
          unavailable = unavailable(p, api, e);
        }
      }
      ObjectNode template = IndexTemplateModel.body(p, attached);
      String hash = IndexTemplateModel.storedHash(template);
      Optional<ObjectNode> stored = client.getIndexTemplate(p.templateName());
      if (stored.isPresent()) {
        String owner = stored.get().path("_meta").path("logpipeline").asText(null);
        if (owner != null && !owner.equals(self)) {
          throw new StageException("Conflict", "index template " + p.templateName()
              + " belongs to LogPipeline " + owner + "; choose another spec.elasticsearch.index");
        }
      }
      if (stored.isEmpty() || !hash.equals(IndexTemplateModel.storedHash(stored.get()))) {
        client.putIndexTemplate(p.templateName(), template);
        written = true;
      }
      String previousPolicy = stored.map(IndexSetup::policyOf).orElse(null);
      if (policy == null && previousPolicy != null) {
        // The lifecycle was removed from the spec: new indices must no longer get it (ISM's
        // ism_template would still attach it), so the policy goes, after the template that
        // referred to it. Indices it manages keep ageing out (see deletePolicy).
        deletePolicy(client, api, previousPolicy, self);
        written = true;
      }
      if (p.dataStream() && !client.dataStreamExists(p.index())) {
        // Created now rather than by Logstash's first write, so that the first backing index
        // exists (with the template and policy) before any document and the privilege to create
        // it is checked here, where the condition can say so.
        client.createDataStream(p.index());
        written = true;
      }
      return new Result(hash, stored.isEmpty(), written, unavailable);
    } catch (SearchException e) {
      throw new StageException(e.reason().name(), e.getMessage(), e);
    }
  }

  private static boolean convergePolicy(SearchClient client, Pipeline p, LifecycleApi api,
      String name, ObjectNode body) throws SearchException {
    Optional<StoredPolicy> stored = client.getLifecyclePolicy(api, name);
    String desiredHash = LifecyclePolicyModel.desiredHash(api, body);
    if (stored.isPresent()) {
      String owner = LifecyclePolicyModel.storedOwner(api, stored.get().policy());
      if (owner != null && !owner.equals(owner(p))) {
        throw new StageException("Conflict", api.name() + " policy " + name + " belongs to"
            + " LogPipeline " + owner + "; choose another spec.elasticsearch.index");
      }
      if (desiredHash.equals(LifecyclePolicyModel.storedHash(api, stored.get().policy()))) {
        return false;
      }
    }
    client.putLifecyclePolicy(api, name, body, stored.orElse(null));
    if (api == LifecycleApi.ISM && stored.isPresent()) {
      // ISM keeps each managed index on the policy version it started with; ILM reads the new
      // version at the next phase. Moving the existing indices makes a shorter deleteAfter free
      // disk space on OpenSearch as it does on Elasticsearch.
      try {
        int moved = client.changeManagedIndicesPolicy(name, p.indexNames().patterns());
        log.info("ISM policy {} updated; {} managed indices moved to the new version", name, moved);
      } catch (SearchException e) {
        log.warn("ISM policy {} updated, but its existing indices keep the previous version: {}",
            name, e.getMessage());
      }
    }
    return true;
  }

  /**
   * Removes the template and the policy (under deletionPolicy Delete), each only when this
   * pipeline wrote it. Documents are never touched.
   */
  public static void remove(SearchClient client, Pipeline p) {
    String self = owner(p);
    try {
      Optional<ObjectNode> stored = client.getIndexTemplate(p.templateName());
      String owner = stored.map(s -> s.path("_meta").path("logpipeline").asText(null)).orElse(null);
      boolean ours = owner == null || owner.equals(self);
      if (stored.isPresent() && ours) {
        try {
          client.deleteIndexTemplate(p.templateName());
        } catch (SearchException e) {
          if (!e.getMessage().contains("in use by a data stream")) {
            throw e;
          }
          // Both products refuse while the data stream exists, and the data stream holds the
          // documents, which the operator never deletes. The policy stays with the template, so
          // the data stream keeps being aged out.
          log.info("index template {} and its lifecycle policy kept: data stream {} still uses"
              + " them; deleting the data stream (and its documents) by hand lets them go",
              p.templateName(), p.index());
          return;
        }
      }
      String policy = stored.filter(s -> owner == null || owner.equals(self))
          .map(IndexSetup::policyOf)
          .orElse(p.lifecycle() != null ? p.indexNames().policyName() : null);
      if (policy != null) {
        deletePolicy(client, LifecyclePolicyModel.api(p), policy, self);
      }
    } catch (SearchException e) {
      throw new StageException(e.reason().name(), e.getMessage(), e);
    }
  }

  /**
   * Deletes the policy when this pipeline wrote it. ILM refuses while indices use it; then it
   * stays, and keeps deleting them by age as the user asked. An ISM policy can go: each managed
   * index runs on its own copy of the policy.
   */
  private static void deletePolicy(SearchClient client, LifecycleApi api, String name, String self)
      throws SearchException {
    Optional<StoredPolicy> stored;
    try {
      stored = client.getLifecyclePolicy(api, name);
    } catch (SearchException e) {
      if (e.reason() == SearchException.Reason.Unsupported) {
        return;
      }
      throw e;
    }
    if (stored.isEmpty()
        || !Objects.equals(self, LifecyclePolicyModel.storedOwner(api, stored.get().policy()))) {
      return;
    }
    if (client.deleteLifecyclePolicy(api, name) == SearchClient.PolicyDeletion.IN_USE) {
      log.info("{} policy {} kept: indices still use it and it keeps deleting them by age;"
          + " delete it by hand once they are gone", api.name(), name);
    }
  }

  /** The condition for a cluster that lacks the lifecycle API the spec needs. */
  static StageException unavailable(Pipeline p, LifecycleApi api, SearchException e) {
    String what = api == LifecycleApi.ILM
        ? "Elasticsearch without ILM (the OSS build, or not Elasticsearch): use the default"
            + " distribution (ILM is in the free Basic licence)"
        : "OpenSearch without the Index State Management plugin (opensearch-index-management):"
            + " install it (Amazon OpenSearch Service has it)";
    return new StageException(api == LifecycleApi.ILM ? "IlmUnavailable" : "IsmUnavailable",
        e.getMessage() + ". The cluster is " + what + ", or remove spec.elasticsearch.lifecycle."
        + " The index template " + p.templateName() + " was written without the lifecycle:"
        + " its indices are kept forever", e);
  }

  private static String policyOf(JsonNode storedTemplate) {
    JsonNode name = storedTemplate.path("_meta").path(IndexTemplateModel.LIFECYCLE_POLICY_KEY);
    return name.isTextual() ? name.asText() : null;
  }

  private static String owner(Pipeline p) {
    return p.namespace() + "/" + p.name();
  }
}
