package io.logpipeline.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.elastic.LifecycleApi;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lifecycle policy of a pipeline's indices, as the request body of {@code PUT
 * _ilm/policy/<name>} (Elasticsearch) or {@code PUT _plugins/_ism/policies/<name>} (OpenSearch).
 *
 * <p>Data streams: a hot phase (ILM) or state (ISM) that rolls over on {@code rolloverMaxAge}
 * and/or {@code rolloverMaxPrimaryShardSize}, then deletion {@code deleteAfter} after the rollover
 * (ILM measures a later phase's {@code min_age} from the rollover; ISM's {@code
 * min_rollover_age} does the same). Daily indices: deletion {@code deleteAfter} after the index was
 * created (ILM {@code min_age}, ISM {@code min_index_age}), no rollover.
 *
 * <p>ILM policies carry {@code _meta} like the template; ISM policies have no {@code _meta}, so
 * the owner and the hash go in the description.
 */
public final class LifecyclePolicyModel {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final Pattern DESCRIPTION = Pattern.compile(
      "^Managed by " + Pattern.quote(Pipeline.MANAGED_BY) + " for LogPipeline (\\S+) \\(hash ([0-9a-f]+)\\)");

  private LifecyclePolicyModel() {}

  /** The API of the pipeline's flavor. */
  public static LifecycleApi api(Pipeline p) {
    return p.flavor() == Flavor.OPENSEARCH ? LifecycleApi.ISM : LifecycleApi.ILM;
  }

  /** The request body, with the owner and the hash of the rest; null without a lifecycle. */
  public static ObjectNode body(Pipeline p) {
    LifecycleSpec lifecycle = p.lifecycle();
    if (lifecycle == null) {
      return null;
    }
    return api(p) == LifecycleApi.ISM ? ism(p, lifecycle) : ilm(p, lifecycle);
  }

  /** The ILM body, whatever the flavor. */
  public static ObjectNode ilm(Pipeline p, LifecycleSpec lifecycle) {
    ObjectNode body = F.objectNode();
    ObjectNode policy = body.putObject("policy");
    ObjectNode phases = policy.putObject("phases");
    if (p.dataStream()) {
      ObjectNode hot = phases.putObject("hot");
      hot.put("min_age", "0ms");
      ObjectNode rollover = hot.putObject("actions").putObject("rollover");
      putIfSet(rollover, "max_age", lifecycle.getRolloverMaxAge());
      putIfSet(rollover, "max_primary_shard_size", lifecycle.getRolloverMaxPrimaryShardSize());
    }
    if (lifecycle.getDeleteAfter() != null) {
      ObjectNode delete = phases.putObject("delete");
      delete.put("min_age", lifecycle.getDeleteAfter());
      delete.putObject("actions").putObject("delete");
    }
    String hash = IndexTemplateModel.hash(body);
    ObjectNode meta = policy.putObject("_meta");
    meta.put("managed_by", Pipeline.MANAGED_BY);
    meta.put("logpipeline", owner(p));
    meta.put(IndexTemplateModel.HASH_KEY, hash);
    return body;
  }

  /** The ISM body, whatever the flavor (for checks across products). */
  public static ObjectNode ism(Pipeline p, LifecycleSpec lifecycle) {
    ObjectNode body = F.objectNode();
    ObjectNode policy = body.putObject("policy");
    policy.put("description", "");
    policy.put("default_state", "hot");
    ArrayNode states = policy.putArray("states");
    ObjectNode hot = states.addObject();
    hot.put("name", "hot");
    ArrayNode actions = hot.putArray("actions");
    if (p.dataStream()) {
      ObjectNode rollover = actions.addObject().putObject("rollover");
      putIfSet(rollover, "min_index_age", lifecycle.getRolloverMaxAge());
      putIfSet(rollover, "min_primary_shard_size", lifecycle.getRolloverMaxPrimaryShardSize());
    }
    ArrayNode transitions = hot.putArray("transitions");
    if (lifecycle.getDeleteAfter() != null) {
      ObjectNode toDelete = transitions.addObject();
      toDelete.put("state_name", "delete");
      // ISM accepts one condition per transition.
      toDelete.putObject("conditions").put(p.dataStream() ? "min_rollover_age" : "min_index_age",
          lifecycle.getDeleteAfter());
      ObjectNode delete = states.addObject();
      delete.put("name", "delete");
      delete.putArray("actions").addObject().putObject("delete");
      delete.putArray("transitions");
    }
    // ISM matches a data stream's backing indices by the data stream's name.
    ObjectNode template = policy.putArray("ism_template").addObject();
    ArrayNode patterns = template.putArray("index_patterns");
    p.indexNames().patterns().forEach(patterns::add);
    template.put("priority", p.spec().getElasticsearch().getTemplate() == null
        ? 200 : p.spec().getElasticsearch().getTemplate().getPriority());
    policy.put("description", "Managed by " + Pipeline.MANAGED_BY + " for LogPipeline " + owner(p)
        + " (hash " + IndexTemplateModel.hash(body) + ")");
    return body;
  }

  /** The hash a stored policy carries, or null when this operator did not write it. */
  public static String storedHash(LifecycleApi api, JsonNode storedPolicy) {
    if (api == LifecycleApi.ILM) {
      JsonNode hash = storedPolicy.path("_meta").path(IndexTemplateModel.HASH_KEY);
      return hash.isTextual() ? hash.asText() : null;
    }
    Matcher m = DESCRIPTION.matcher(storedPolicy.path("description").asText(""));
    return m.find() ? m.group(2) : null;
  }

  /** The "namespace/name" of the LogPipeline that wrote a stored policy, or null. */
  public static String storedOwner(LifecycleApi api, JsonNode storedPolicy) {
    if (api == LifecycleApi.ILM) {
      JsonNode owner = storedPolicy.path("_meta").path("logpipeline");
      return owner.isTextual() ? owner.asText() : null;
    }
    Matcher m = DESCRIPTION.matcher(storedPolicy.path("description").asText(""));
    return m.find() ? m.group(1) : null;
  }

  /** The hash inside a desired body. */
  public static String desiredHash(LifecycleApi api, ObjectNode body) {
    return storedHash(api, body.path("policy"));
  }

  static String owner(Pipeline p) {
    return p.namespace() + "/" + p.name();
  }

  private static void putIfSet(ObjectNode node, String key, String value) {
    if (value != null) {
      node.put(key, Objects.requireNonNull(value));
    }
  }
}
