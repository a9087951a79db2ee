package io.logpipeline.operator.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.LogPipelineStatus;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a LogPipeline's spec as the user wrote it and says, in the user's terms, every value that
 * does not fit the api types: {@code spec.deletionPolicy: 'Purge' is not one of Delete, Retain},
 * {@code spec.elasticsearch.lifecycle: unknown field (known: hosts, flavor, ...)}. Jackson reads
 * every LogPipeline's spec through {@link SpecDeserializer} (the informer's lists and watch
 * events, {@code render}'s files, copies), so a spec that cannot be read becomes an {@link
 * UnreadableSpec}, reported by {@link Pipeline#resolve} as Valid=False, instead of an exception
 * that would stop the informer for every pipeline. No class name reaches a message.
 */
public final class SpecReader {

  /**
   * Strict where fabric8's mapper is lenient: unknown fields are reported, also inside the
   * Kubernetes types (a LabelSelector keeps unknown fields in additionalProperties, so a typo such
   * as matchLabel would be silently ignored), and a number is no enum constant.
   */
  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .addModule(new SimpleModule().setDeserializerModifier(new BeanDeserializerModifier() {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config,
            BeanDescription description, BeanDeserializerBuilder builder) {
          builder.setAnySetter(null);
          return builder;
        }
      }))
      .build();

  /** A status written by another version of the operator: read as far as it fits. */
  private static final ObjectReader STATUS = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
      .build()
      .readerFor(LogPipelineStatus.class);

  private static final Pattern PLAIN_KEY = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

  private SpecReader() {}

  /**
   * The spec read from its JSON (or YAML) tree: a {@link LogPipelineSpec}, or an {@link
   * UnreadableSpec} with every problem found.
   */
  public static LogPipelineSpec read(JsonNode tree) {
    List<SpecProblem> problems = new ArrayList<>();
    LogPipelineSpec spec = read(tree, LogPipelineSpec.class, problems);
    if (problems.isEmpty() && spec != null) {
      return spec;
    }
    // Read again into the type that keeps what was stored; what fits is kept for the cleanup of
    // a pipeline that is deleted while unreadable (its names, hosts and deletion policy).
    UnreadableSpec unreadable = read(tree, UnreadableSpec.class, new ArrayList<>());
    if (unreadable == null) {
      unreadable = new UnreadableSpec();
    }
    unreadable.setStored(tree, problems.isEmpty()
        ? List.of(new SpecProblem("spec", "is required: an object")) : problems);
    return unreadable;
  }

  private static <T> T read(JsonNode tree, Class<T> type, List<SpecProblem> problems) {
    try {
      return STRICT.readerFor(type).withHandler(new Collector(problems)).readValue(tree);
    } catch (JsonMappingException e) {
      problems.add(new SpecProblem(path(e.getPath()), mismatch(e, at(tree, e.getPath()))));
    } catch (InputCoercionException e) {
      problems.add(new SpecProblem(path(context(e.getProcessor())), outOfRange(e, null)));
    } catch (JacksonException e) {
      problems.add(new SpecProblem("spec", "cannot be read: " + firstLine(e.getOriginalMessage())));
    } catch (IOException e) {
      problems.add(new SpecProblem("spec", "cannot be read: " + firstLine(e.getMessage())));
    }
    return null;
  }

  /** A problem Jackson could not recover from, in words; {@code value} is what the user wrote there. */
  private static String mismatch(JsonMappingException e, JsonNode value) {
    if (e instanceof InvalidFormatException f) {
      return notOneOf(f.getValue(), f.getTargetType());
    }
    if (e.getCause() instanceof InputCoercionException c) {
      return outOfRange(c, value);
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "expected " + words(m.getTargetType()) + ", found " + found(value);
    }
    return "is not a valid value here" + (value == null ? "" : ", found " + found(value));
  }

  /** The node a JsonMappingException's path leads to in the spec, or null. */
  private static JsonNode at(JsonNode tree, List<JsonMappingException.Reference> references) {
    JsonNode node = tree;
    for (JsonMappingException.Reference r : references) {
      if (node == null) {
        return null;
      }
      node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
    }
    return node;
  }

  private static String found(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    if (node.isObject()) {
      return "an object";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "text '" + SpecRules.excerpt(node.asText()) + "'";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    return node.isNull() ? "null" : node.asText();
  }

  private static String outOfRange(InputCoercionException e, JsonNode value) {
    Class<?> target = e.getTargetType();
    String max = target == Integer.TYPE || target == Integer.class ? String.valueOf(Integer.MAX_VALUE)
        : target == Long.TYPE || target == Long.class ? String.valueOf(Long.MAX_VALUE) : null;
    String text = value == null ? "is out of range" : SpecRules.excerpt(value.asText()) + " is out of range";
    return max == null ? text : text + ": at most " + max;
  }

  /** "'Purge' is not one of Delete, Retain", "'six' is not a whole number". */
  static String notOneOf(Object value, Class<?> target) {
    String shown = value instanceof String s ? "'" + SpecRules.excerpt(s) + "'" : String.valueOf(value);
    if (target != null && target.isEnum()) {
      return shown + " is not one of " + String.join(", ", enumValues(target));
    }
    return shown + " is not " + words(target);
  }

  /** What a value of the type looks like in YAML, for "expected ..." messages. */
  static String words(Class<?> type) {
    if (type == null) {
      return "a valid value";
    }
    if (type.isEnum()) {
      return "one of " + String.join(", ", enumValues(type));
    }
    if (type == String.class) {
      return "text";
    }
    if (type == Integer.TYPE || type == Integer.class || type == Long.TYPE || type == Long.class
        || type == Short.TYPE || type == Short.class) {
      return "a whole number";
    }
    if (type == Double.TYPE || type == Double.class || type == Float.TYPE || type == Float.class
        || Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (type == Boolean.TYPE || type == Boolean.class) {
      return "true or false";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "a map of keys to values";
    }
    if (type.getSimpleName().equals("Quantity")) {
      return "a quantity such as 512Mi or 0.5";
    }
    if (type.getSimpleName().equals("IntOrString")) {
      return "a number or text";
    }
    return "an object";
  }

  private static List<String> enumValues(Class<?> type) {
    return Arrays.stream(type.getEnumConstants()).map(c -> {
      try {
        JsonProperty name = type.getField(((Enum<?>) c).name()).getAnnotation(JsonProperty.class);
        return name != null ? name.value() : ((Enum<?>) c).name();
      } catch (NoSuchFieldException e) {
        return ((Enum<?>) c).name();
      }
    }).toList();
  }

  private static String found(JsonParser p) {
    JsonToken t = p.currentToken();
    if (t == null) {
      return "nothing";
    }
    try {
      return switch (t) {
        case START_OBJECT -> "an object";
        case START_ARRAY -> "a list";
        case VALUE_STRING -> "text '" + SpecRules.excerpt(p.getText()) + "'";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
        case VALUE_TRUE -> "true";
        case VALUE_FALSE -> "false";
        case VALUE_NULL -> "null";
        default -> "something else";
      };
    } catch (IOException e) {
      return "something else";
    }
  }

  /** The field a JsonMappingException is about, as a user finds it in the YAML. */
  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder sb = new StringBuilder("spec");
    for (JsonMappingException.Reference r : references) {
      if (r.getFieldName() != null) {
        appendKey(sb, r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** The field the parser is at: the value's own context for a scalar, its parent's for an object or list. */
  private static JsonStreamContext context(JsonParser p) {
    if (p == null) {
      return null;
    }
    JsonStreamContext context = p.getParsingContext();
    JsonToken t = p.currentToken();
    if ((t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) && context != null) {
      context = context.getParent();
    }
    return context;
  }

  private static String path(JsonStreamContext context) {
    Deque<JsonStreamContext> chain = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      chain.push(c);
    }
    // The outermost object is the spec itself.
    StringBuilder sb = new StringBuilder("spec");
    for (JsonStreamContext c : chain) {
      if (c.inObject() && c.getCurrentName() != null) {
        appendKey(sb, c.getCurrentName());
      } else if (c.inArray()) {
        sb.append('[').append(Math.max(0, c.getCurrentIndex())).append(']');
      }
    }
    return sb.toString();
  }

  /** Map keys such as max.message.bytes in brackets, as Kubernetes writes them. */
  private static void appendKey(StringBuilder sb, String key) {
    if (PLAIN_KEY.matcher(key).matches()) {
      sb.append('.').append(key);
    } else {
      sb.append('[').append(key).append(']');
    }
  }

  /** Where the field of that name is declared, counting from the top of the class hierarchy. */
  private static int declared(Class<?> type, String name) {
    List<String> fields = new ArrayList<>();
    Deque<Class<?>> hierarchy = new ArrayDeque<>();
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      hierarchy.push(c);
    }
    hierarchy.forEach(c -> Arrays.stream(c.getDeclaredFields()).forEach(f -> fields.add(f.getName())));
    int index = fields.indexOf(name);
    return index < 0 ? Integer.MAX_VALUE : index;
  }

  private static String firstLine(String message) {
    String line = String.valueOf(message).lines().findFirst().orElse("");
    return SpecRules.excerpt(line);
  }

  /**
   * Collects what does not fit and carries on with a neutral value, so that one reading reports
   * every problem, not only the first.
   */
  private static final class Collector extends DeserializationProblemHandler {
    private final List<SpecProblem> problems;

    Collector(List<SpecProblem> problems) {
      this.problems = problems;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
        JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
      Collection<Object> known = deserializer.getKnownPropertyNames();
      Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
      String list = known == null || known.isEmpty() ? "" : " (known: " + known.stream()
          .map(String::valueOf).sorted(Comparator.comparingInt(name -> declared(type, name)))
          .collect(Collectors.joining(", ")) + ")";
      problems.add(new SpecProblem(path(context(p)), "unknown field" + list));
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
        ValueInstantiator instantiator, JsonParser p, String msg) throws IOException {
      problems.add(new SpecProblem(path(context(p)), "expected " + words(instClass) + ", found " + found(p)));
      p.skipChildren();
      return null;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType,
        String valueToConvert, String failureMsg) {
      problems.add(new SpecProblem(path(context(ctxt.getParser())), notOneOf(valueToConvert, targetType)));
      return neutral(targetType);
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType,
        Number valueToConvert, String failureMsg) {
      problems.add(new SpecProblem(path(context(ctxt.getParser())), notOneOf(valueToConvert, targetType)));
      return neutral(targetType);
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType,
        JsonToken t, JsonParser p, String failureMsg) throws IOException {
      problems.add(new SpecProblem(path(context(p)),
          "expected " + words(targetType.getRawClass()) + ", found " + found(p)));
      p.skipChildren();
      return neutral(targetType.getRawClass());
    }

    /** A value of the type that stands for the one that could not be read. */
    private static Object neutral(Class<?> type) {
      if (type == Integer.TYPE || type == Integer.class) {
        return 0;
      }
      if (type == Long.TYPE || type == Long.class) {
        return 0L;
      }
      if (type == Boolean.TYPE || type == Boolean.class) {
        return Boolean.FALSE;
      }
      if (type == Double.TYPE || type == Double.class) {
        return 0.0;
      }
      return null;
    }
  }

  /**
   * Jackson's way in for LogPipeline's spec: never fails, so one pipeline that cannot be read
   * does not break reading the others (a list) or the informer's watch.
   */
  public static final class SpecDeserializer extends StdDeserializer<LogPipelineSpec> {
    public SpecDeserializer() {
      super(LogPipelineSpec.class);
    }

    @Override
    public LogPipelineSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return read(ctxt.readTree(p));
    }
  }

  /**
   * Jackson's way in for LogPipeline's status. The status is computed whole at every reconcile,
   * so one written by another operator version is read as far as it fits (unknown fields and
   * phases dropped) or, failing that, as none; never an exception that would stop the informer.
   */
  public static final class StatusDeserializer extends StdDeserializer<LogPipelineStatus> {
    public StatusDeserializer() {
      super(LogPipelineStatus.class);
    }

    @Override
    public LogPipelineStatus deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(p);
      try {
        return STATUS.readValue(tree);
      } catch (JacksonException | IllegalArgumentException e) {
        return null;
      }
    }
  }
}
