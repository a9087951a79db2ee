package io.logpipeline.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.api.TemplateSpec;
import io.logpipeline.operator.elastic.LifecycleApi;

import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * The composable index template ({@code PUT _index_template/<index>}), the same body for
 * Elasticsearch 7.8+, 8, 9 and OpenSearch 1 and 2. It must exist before the first document, or
 * the cluster guesses mappings that cannot be changed later.
 */
public final class IndexTemplateModel {

  /** Key in the template's {@code _meta} with the hash of the rest of the body. */
  public static final String HASH_KEY = "hash";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private IndexTemplateModel() {}

  /** The mappings every pipeline starts from; the user's mappings are merged over them. */
  public static ObjectNode defaultMappings() {
    ObjectNode mappings = F.objectNode();
    ArrayNode dynamic = mappings.putArray("dynamic_templates");
    // Kubernetes metadata (names, labels, annotations) is matched exactly, never analysed.
    ObjectNode kubernetes = dynamic.addObject().putObject("kubernetes_keywords");
    kubernetes.put("path_match", "kubernetes.*");
    kubernetes.put("match_mapping_type", "string");
    kubernetes.putObject("mapping").put("type", "keyword").put("ignore_above", 1024);
    ObjectNode properties = mappings.putObject("properties");
    properties.putObject("@timestamp").put("type", "date");
    properties.putObject("message").put("type", "text");
    return mappings;
  }

  /** Key in the template's {@code _meta} naming the lifecycle policy the operator keeps for it. */
  public static final String LIFECYCLE_POLICY_KEY = "lifecycle_policy";

  /**
   * The template body with {@code _meta.hash}, which tells whether the stored one is current; with
   * the lifecycle policy attached when the spec has a lifecycle.
   */
  public static ObjectNode body(Pipeline p) {
    return body(p, p.lifecycle() != null);
  }

  /**
   * The template body, with or without the lifecycle. Without it is the fallback for a cluster
   * that has no ILM or ISM: the mappings still apply, and the cluster is never sent a setting it
   * refuses.
   *
   * @param attachLifecycle whether the pipeline's policy is in the cluster to refer to
   */
  public static ObjectNode body(Pipeline p, boolean attachLifecycle) {
    TemplateSpec t = Objects.requireNonNullElseGet(
        p.spec().getElasticsearch().getTemplate(), TemplateSpec::new);
    IndexNames indexNames = p.indexNames();
    ObjectNode body = F.objectNode();
    ArrayNode patterns = body.putArray("index_patterns");
    indexNames.patterns().forEach(patterns::add);
    body.put("priority", t.getPriority());
    ObjectNode template = body.putObject("template");
    ObjectNode settings = template.putObject("settings");
    settings.put("number_of_shards", t.getShards());
    settings.put("number_of_replicas", t.getReplicas());
    if (t.getSettings() != null && t.getSettings().isObject()) {
      merge(settings, (ObjectNode) t.getSettings());
    }
    boolean ilm = attachLifecycle && LifecyclePolicyModel.api(p) == LifecycleApi.ILM;
    if (ilm) {
      // ISM needs nothing here: its policy's ism_template picks the indices.
      settings.put("index.lifecycle.name", indexNames.policyName());
    }
    ObjectNode mappings = defaultMappings();
    if (t.getMappings() != null && t.getMappings().isObject()) {
      ObjectNode user = ((ObjectNode) t.getMappings()).deepCopy();
      // The first dynamic template that matches wins: the user's go first, the defaults stay
      // behind them unless the user reuses a default's name.
      JsonNode userDynamic = user.remove("dynamic_templates");
      merge(mappings, user);
      if (userDynamic instanceof ArrayNode userTemplates) {
        ArrayNode combined = F.arrayNode();
        combined.addAll(userTemplates);
        java.util.Set<String> names = new java.util.HashSet<>();
        userTemplates.forEach(d -> d.fieldNames().forEachRemaining(names::add));
        mappings.withArray("dynamic_templates").forEach(d -> {
          if (!names.contains(d.fieldNames().next())) {
            combined.add(d);
          }
        });
        mappings.set("dynamic_templates", combined);
      }
    }
    template.set("mappings", mappings);
    if (t.isDataStream()) {
      body.putObject("data_stream");
    }
    return withMeta(body, p, attachLifecycle ? indexNames.policyName() : null);
  }

  /**
   * The owner, the policy kept for the template (or none) and the hash of the rest of the body,
   * by which the stored template is compared.
   */
  private static ObjectNode withMeta(ObjectNode body, Pipeline p, String policy) {
    ObjectNode meta = body.putObject("_meta");
    meta.put("managed_by", Pipeline.MANAGED_BY);
    meta.put("logpipeline", p.namespace() + "/" + p.name());
    if (policy != null) {
      meta.put(LIFECYCLE_POLICY_KEY, policy);
    }
    meta.put(HASH_KEY, hash(body));
    return body;
  }

  /**
   * The dead-letter index's template: mappings that no document the dead-letter pipeline writes
   * can break. Nothing is mapped dynamically, the original event is a string that is stored but
   * never indexed (no type to conflict with, no term length limit), and the rest are the
   * rejection time, reason and pipeline. Same priority as the main template, so it wins over
   * Elasticsearch's built-in logs-*-* as that one does.
   */
  public static ObjectNode deadLetterBody(Pipeline p) {
    TemplateSpec t = Objects.requireNonNullElseGet(
        p.spec().getElasticsearch().getTemplate(), TemplateSpec::new);
    String index = p.deadLetterIndex();
    ObjectNode body = F.objectNode();
    IndexNames names = new IndexNames(index, p.dataStream());
    names.patterns().forEach(body.putArray("index_patterns")::add);
    body.put("priority", t.getPriority());
    ObjectNode template = body.putObject("template");
    ObjectNode settings = template.putObject("settings");
    settings.put("number_of_shards", 1);
    settings.put("number_of_replicas", t.getReplicas());
    ObjectNode mappings = template.putObject("mappings");
    mappings.put("dynamic", "false");
    ObjectNode properties = mappings.putObject("properties");
    properties.putObject("@timestamp").put("type", "date");
    ObjectNode original = field(properties, IndexerModel.DeadLetterFields.ORIGINAL);
    original.put("type", "keyword").put("index", false).put("doc_values", false);
    field(properties, IndexerModel.DeadLetterFields.REASON).put("type", "text");
    field(properties, IndexerModel.DeadLetterFields.PIPELINE).put("type", "keyword");
    if (p.dataStream()) {
      body.putObject("data_stream");
    }
    return withMeta(body, p, null);
  }

  /** The mapping of a dotted field (event.original) as nested object properties. */
  private static ObjectNode field(ObjectNode properties, String dotted) {
    String[] parts = dotted.split("\\.");
    ObjectNode at = properties;
    for (int i = 0; i < parts.length - 1; i++) {
      at = at.with(parts[i]).with("properties");
    }
    return at.putObject(parts[parts.length - 1]);
  }

  /**
   * Hash of everything but {@code _meta.hash}: equal hashes mean equal templates (including
   * which policy the operator keeps for it).
   */
  public static String hash(ObjectNode body) {
    ObjectNode copy = body.deepCopy();
    if (copy.get("_meta") instanceof ObjectNode meta) {
      meta.remove(HASH_KEY);
    }
    try {
      return Names.hash(JSON.writeValueAsString(copy), 16);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hash the stored template carries, or null when it was not written by this operator. */
  public static String storedHash(JsonNode stored) {
    JsonNode hash = stored.path("_meta").path(HASH_KEY);
    return hash.isTextual() ? hash.asText() : null;
  }

  /** Merges {@code over} into {@code base}: objects merge key by key, anything else replaces. */
  static void merge(ObjectNode base, ObjectNode over) {
    Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      JsonNode existing = base.get(e.getKey());
      if (existing instanceof ObjectNode existingObject && e.getValue() instanceof ObjectNode o) {
        merge(existingObject, o);
      } else {
        base.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }
}
