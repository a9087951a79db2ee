package io.logpipeline.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.oas.OpenApi30;
import com.networknt.schema.regex.RegularExpressionFactory;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the Kubernetes API server checks of a LogPipeline with the CRD alone: the OpenAPI v3
 * schema (structural keywords, by networknt's validator) and the CEL rules in
 * {@code x-kubernetes-validations} (by CEL-Java), after applying the schema's defaults as the
 * API server does before validating. Errors use the API server's field paths and wording, so the
 * corpus headers read like what {@code kubectl apply} prints.
 */
final class CrdSchemaValidator {

  /** The extension that carries CEL rules. */
  static final String VALIDATIONS = "x-kubernetes-validations";

  /** Kubernetes extensions that the JSON Schema validator must accept and ignore. */
  private static final List<String> KUBERNETES_KEYWORDS = List.of(VALIDATIONS,
      "x-kubernetes-preserve-unknown-fields", "x-kubernetes-int-or-string",
      "x-kubernetes-embedded-resource", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
      "x-kubernetes-map-type");

  /**
   * One error as the API server would report it.
   *
   * @param field the field path, e.g. {@code spec.kafka.topic.partitions}
   * @param message the error text after the path, e.g. {@code Required value}
   * @param keyword the schema keyword ({@code minimum}, {@code required}, ...), or
   *     {@code x-kubernetes-validations} for a CEL rule
   * @param rule the CEL expression that failed; empty for a structural error
   * @param schemaPath the schema location the error comes from, list items as {@code [*]} and
   *     map values as {@code .*}: the same for every instance of that constraint
   */
  record Violation(String field, String message, String keyword, String rule, String schemaPath) {
    boolean isCel() {
      return VALIDATIONS.equals(keyword);
    }

    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  /**
   * One CEL rule of the schema, where it sits and what bounds its cost.
   *
   * @param schemaPath the node the rule is declared on, list items as {@code [*]}
   * @param rule the CEL expression
   * @param message the rule's message
   * @param fieldPath the rule's fieldPath, or empty
   * @param node the schema node the rule is declared on
   * @param underList the node is inside an array (an uncorrelatable position for oldSelf unless
   *     the list is a map or set list)
   * @param unboundedCardinality some enclosing array or map has no maxItems/maxProperties
   */
  record Rule(String schemaPath, String rule, String message, String fieldPath, JsonNode node,
      boolean underList, boolean unboundedCardinality) {

    /** A transition rule: it compares with the stored object and runs on updates only. */
    boolean transition() {
      return Pattern.compile("\\boldSelf\\b").matcher(rule).find();
    }

    @Override
    public String toString() {
      return schemaPath + ": " + rule;
    }
  }

  private static final YAMLMapper YAML = new YAMLMapper();

  private final JsonNode crd;
  private final JsonNode openApiSchema;
  private final JsonSchema jsonSchema;
  private final Map<String, CelRuntime.Program> programs = new HashMap<>();

  private CrdSchemaValidator(JsonNode crd) {
    this.crd = crd;
    this.openApiSchema = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    if (openApiSchema.isMissingNode()) {
      throw new IllegalArgumentException("no spec.versions[0].schema.openAPIV3Schema in the CRD");
    }
    JsonMetaSchema.Builder meta = JsonMetaSchema.builder(OpenApi30.getInstance());
    KUBERNETES_KEYWORDS.forEach(k -> meta.keyword(new NonValidationKeyword(k)));
    JsonMetaSchema metaSchema = meta.build();
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
        b -> b.metaSchema(metaSchema).defaultMetaSchemaIri(metaSchema.getIri()));
    SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
        .pathType(PathType.JSON_PATH)
        .regularExpressionFactory(GO_REGEX)
        .build();
    this.jsonSchema = factory.getSchema(openApiSchema, config);
  }

  /** The validator of the CRD in {@code file} (YAML, the generated CRD). */
  static CrdSchemaValidator load(Path file) throws IOException {
    return new CrdSchemaValidator(YAML.readTree(file.toFile()));
  }

  JsonNode crd() {
    return crd;
  }

  /** {@code spec.versions[0].schema.openAPIV3Schema}. */
  JsonNode schema() {
    return openApiSchema;
  }

  /** Validates a create (or any write without a stored object). */
  List<Violation> validate(JsonNode object) {
    return validate(object, null);
  }

  /**
   * Validates {@code object} as the API server validates a write: defaults first, then the
   * schema, then every CEL rule; transition rules only when {@code old} (the stored object) is
   * given and has the node too.
   */
  List<Violation> validate(JsonNode object, JsonNode old) {
    JsonNode defaulted = withDefaults(object);
    JsonNode oldDefaulted = old == null ? null : withDefaults(old);
    List<Violation> violations = new ArrayList<>();
    for (ValidationMessage m : jsonSchema.validate(defaulted)) {
      violations.add(structural(m));
    }
    evaluateRules(openApiSchema, defaulted, oldDefaulted, "", "", violations);
    violations.sort(Comparator.comparing(Violation::field).thenComparing(Violation::message));
    return violations;
  }

  /**
   * A copy of {@code object} with the schema's defaults applied to absent properties of objects
   * that exist, at every depth, as the API server does when it decodes a request or reads from
   * etcd.
   */
  JsonNode withDefaults(JsonNode object) {
    JsonNode copy = object.deepCopy();
    applyDefaults(openApiSchema, copy);
    return copy;
  }

  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode obj) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        var p = it.next();
        if (!obj.has(p.getKey()) && p.getValue().has("default")) {
          obj.set(p.getKey(), p.getValue().get("default").deepCopy());
        }
        if (obj.has(p.getKey())) {
          applyDefaults(p.getValue(), obj.get(p.getKey()));
        }
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
          var f = it.next();
          if (!properties.has(f.getKey())) {
            applyDefaults(additional, f.getValue());
          }
        }
      }
    } else if (value instanceof ArrayNode array && schema.has("items")) {
      array.forEach(item -> applyDefaults(schema.get("items"), item));
    }
  }

  // --- structural schema ---------------------------------------------------------------------

  /** A networknt message in the API server's words (apiextensions-apiserver's conversion). */
  private Violation structural(ValidationMessage m) {
    String path = fieldPath(m.getInstanceLocation());
    String type = m.getType();
    JsonNode value = m.getInstanceNode();
    JsonNode schemaNode = schemaAt(m.getInstanceLocation());
    String where = path.isEmpty() ? "body" : path + " in body";
    String message;
    switch (type) {
      case "required" -> {
        path = join(path, m.getProperty());
        message = "Required value";
      }
      case "enum" -> {
        List<String> allowed = new ArrayList<>();
        schemaNode.path("enum").forEach(v -> allowed.add(v.toString()));
        message = "Unsupported value: " + value + ": supported values: " + String.join(", ", allowed);
      }
      case "type" -> message = "Invalid value: \"" + jsonType(value) + "\": " + where
          + " must be of type " + schemaNode.path("type").asText() + ": \"" + jsonType(value) + "\"";
      case "pattern" -> message = "Invalid value: " + value + ": " + where + " should match '"
          + schemaNode.path("pattern").asText() + "'";
      case "minimum" -> message = "Invalid value: " + value + ": " + where
          + " should be greater than or equal to " + number(schemaNode.path("minimum"));
      case "maximum" -> message = "Invalid value: " + value + ": " + where
          + " should be less than or equal to " + number(schemaNode.path("maximum"));
      case "minItems" -> message = "Invalid value: " + value.size() + ": " + where
          + " should have at least " + number(schemaNode.path("minItems")) + " items";
      case "maxItems" -> message = "Too many: " + value.size() + ": must have at most "
          + number(schemaNode.path("maxItems")) + " items";
      case "minLength" -> message = "Invalid value: " + value + ": " + where
          + " should be at least " + number(schemaNode.path("minLength")) + " chars long";
      case "maxLength" -> message = "Too long: may not be more than "
          + number(schemaNode.path("maxLength")) + " bytes";
      default -> message = m.getMessage();
    }
    return new Violation(path, message, type, "", genericPath(m.getInstanceLocation(),
        "required".equals(type) ? m.getProperty() : null));
  }

  /** The schema node that validates the instance at {@code location}. */
  private JsonNode schemaAt(JsonNodePath location) {
    JsonNode schema = openApiSchema;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer) {
        schema = schema.path("items");
      } else if (schema.path("properties").has((String) element)) {
        schema = schema.path("properties").path((String) element);
      } else {
        schema = schema.path("additionalProperties");
      }
    }
    return schema;
  }

  private String genericPath(JsonNodePath location, String child) {
    StringBuilder path = new StringBuilder();
    JsonNode schema = openApiSchema;
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer) {
        schema = schema.path("items");
        path.append("[*]");
      } else if (schema.path("properties").has((String) element)) {
        schema = schema.path("properties").path((String) element);
        path.append(path.length() == 0 ? "" : ".").append(element);
      } else {
        schema = schema.path("additionalProperties");
        path.append(".*");
      }
    }
    return child == null ? path.toString() : join(path.toString(), child);
  }

  private static String fieldPath(JsonNodePath location) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        path.append(path.length() == 0 ? "" : ".").append(element);
      }
    }
    return path.toString();
  }

  private static String join(String path, String child) {
    return path.isEmpty() ? child : path + "." + child;
  }

  private static String number(JsonNode n) {
    return n.isNumber() && n.asDouble() == Math.rint(n.asDouble())
        ? Long.toString(n.asLong()) : n.asText();
  }

  private static String jsonType(JsonNode n) {
    if (n == null || n.isNull()) {
      return "null";
    }
    return switch (n.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> n.isIntegralNumber() ? "integer" : "number";
      case BOOLEAN -> "boolean";
      case ARRAY -> "array";
      case OBJECT, POJO -> "object";
      default -> n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  /**
   * Patterns as the API server (Go's RE2, no multi-line mode) reads them: {@code $} matches only
   * at the end of the text, where Java's would also match before a final line break.
   */
  private static final RegularExpressionFactory GO_REGEX = regex -> {
    Pattern p = Pattern.compile(goAnchors(regex));
    return value -> p.matcher(value).find();
  };

  /** Replaces every unescaped {@code $} outside a character class with {@code \z}. */
  static String goAnchors(String regex) {
    StringBuilder out = new StringBuilder();
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      if (c == '\\' && i + 1 < regex.length()) {
        out.append(c).append(regex.charAt(++i));
      } else if (c == '[') {
        inClass = true;
        out.append(c);
      } else if (c == ']') {
        inClass = false;
        out.append(c);
      } else if (c == '$' && !inClass) {
        out.append("\\z");
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  // --- CEL rules -----------------------------------------------------------------------------

  /** Every CEL rule in the schema, in schema order. */
  List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    collectRules(openApiSchema, "", false, false, rules);
    return rules;
  }

  private static void collectRules(JsonNode schema, String path, boolean underList,
      boolean unbounded, List<Rule> out) {
    for (JsonNode r : schema.path(VALIDATIONS)) {
      out.add(new Rule(path, r.path("rule").asText(), r.path("message").asText(),
          r.path("fieldPath").asText(""), schema, underList, unbounded));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields(); it.hasNext(); ) {
      var p = it.next();
      collectRules(p.getValue(), join(path, p.getKey()), underList, unbounded, out);
    }
    if (schema.path("additionalProperties").isObject()) {
      collectRules(schema.get("additionalProperties"), path + ".*", underList,
          unbounded || !schema.has("maxProperties"), out);
    }
    if (schema.path("items").isObject()) {
      collectRules(schema.get("items"), path + "[*]", true,
          unbounded || !schema.has("maxItems"), out);
    }
  }

  private void evaluateRules(JsonNode schema, JsonNode value, JsonNode old, String path,
      String genericPath, List<Violation> out) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    String type = schema.path("type").asText("");
    for (JsonNode r : schema.path(VALIDATIONS)) {
      String rule = r.path("rule").asText();
      boolean transition = Pattern.compile("\\boldSelf\\b").matcher(rule).find();
      if (transition && (old == null || old.isMissingNode() || old.isNull())) {
        continue;
      }
      String field = path + r.path("fieldPath").asText("");
      String message = r.has("message") ? r.get("message").asText() : "failed rule: " + rule;
      Map<String, Object> vars = new HashMap<>();
      vars.put("self", toCel(value));
      if (transition) {
        vars.put("oldSelf", toCel(old));
      }
      try {
        Object result = program(rule, schema).eval(vars);
        if (!Boolean.TRUE.equals(result)) {
          out.add(new Violation(field, "Invalid value: \"" + (type.isEmpty() ? "object" : type)
              + "\": " + message, VALIDATIONS, rule, genericPath));
        }
      } catch (CelEvaluationException e) {
        out.add(new Violation(field, "Invalid value: \"" + type + "\": " + message
            + ": evaluation error: " + e.getMessage(), VALIDATIONS, rule, genericPath));
      }
    }
    if (value.isObject()) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        var f = it.next();
        JsonNode child = properties.has(f.getKey()) ? properties.get(f.getKey())
            : schema.path("additionalProperties").isObject() ? schema.get("additionalProperties") : null;
        if (child == null) {
          continue; // pruned by the API server, or preserved without a schema
        }
        String generic = properties.has(f.getKey()) ? join(genericPath, f.getKey()) : genericPath + ".*";
        evaluateRules(child, f.getValue(), old == null ? null : old.get(f.getKey()),
            join(path, f.getKey()), generic, out);
      }
    } else if (value.isArray() && schema.path("items").isObject()) {
      // Items of atomic lists have no correlated old item: their transition rules never run.
      for (int i = 0; i < value.size(); i++) {
        evaluateRules(schema.get("items"), value.get(i), null, path + "[" + i + "]",
            genericPath + "[*]", out);
      }
    }
  }

  /** The compiled rule, with self (and oldSelf) typed from the schema as the API server does. */
  CelRuntime.Program program(String rule, JsonNode schema) {
    CelType type = celType(schema);
    return programs.computeIfAbsent(rule + "\u0000" + type, k -> {
      Cel cel = CelFactory.standardCelBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("self", type)
          .addVar("oldSelf", type)
          .setResultType(SimpleType.BOOL)
          .build();
      try {
        CelAbstractSyntaxTree ast = cel.compile(rule).getAst();
        return cel.createProgram(ast);
      } catch (CelValidationException | CelEvaluationException e) {
        throw new IllegalStateException("CEL rule does not compile: " + rule + ": " + e.getMessage(), e);
      }
    });
  }

  /** Object fields are not typed (map of dyn); scalars and lists are, as in Kubernetes. */
  static CelType celType(JsonNode schema) {
    if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
      return SimpleType.DYN;
    }
    return switch (schema.path("type").asText("")) {
      case "string" -> SimpleType.STRING;
      case "integer" -> SimpleType.INT;
      case "number" -> SimpleType.DOUBLE;
      case "boolean" -> SimpleType.BOOL;
      case "array" -> ListType.create(schema.has("items") ? celType(schema.get("items")) : SimpleType.DYN);
      case "object" -> MapType.create(SimpleType.STRING, SimpleType.DYN);
      default -> SimpleType.DYN;
    };
  }

  /** A JSON value as CEL sees it: maps, lists, Long, Double, String, Boolean. */
  static Object toCel(JsonNode n) {
    if (n.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      n.fields().forEachRemaining(f -> {
        if (!f.getValue().isNull()) {
          map.put(f.getKey(), toCel(f.getValue()));
        }
      });
      return map;
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>();
      n.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (n.isIntegralNumber()) {
      return n.longValue();
    }
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isTextual()) {
      return n.textValue();
    }
    throw new IllegalArgumentException("no CEL value for " + n.getNodeType());
  }
}
