package io.logpipeline.operator.cli;

import io.fabric8.kubernetes.client.utils.Serialization;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.ShipperClass;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The LogPipelines and ShipperClasses of a YAML (or JSON) file, read as fabric8 reads them (SnakeYAML Engine, then
 * Jackson), together with where each of their fields is, so that a message can say
 * {@code pipelines.yaml:12: LogPipeline logging/payments: spec.deletionPolicy: ...}.
 */
final class YamlDocuments {

  /** The input is not what render reads; the message says where and why, in the user's terms. */
  static final class NotLogPipelines extends Exception {
    NotLogPipelines(String message) {
      super(message, null, false, false);
    }
  }

  /** One LogPipeline or ShipperClass and the YAML node it was read from. */
  record Document(HasMetadata object, Node node) {}

  private final String source;
  private final List<Document> documents;

  private YamlDocuments(String source, List<Document> documents) {
    this.source = source;
    this.documents = documents;
  }

  /**
   * Reads every document of {@code text}. {@code source} names the input in messages (a file
   * name, or "stdin").
   */
  static YamlDocuments read(String source, String text) throws NotLogPipelines {
    List<Node> nodes = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    LoadSettings settings = LoadSettings.builder().setLabel(source).build();
    try {
      // The same settings as fabric8's reader: what Load makes of each composed document.
      new Compose(settings).composeAllFromString(text).forEach(nodes::add);
      new Load(settings).loadAllFromString(text).forEach(values::add);
    } catch (MarkedYamlEngineException e) {
      throw new NotLogPipelines(where(source, e.getProblemMark()) + "not valid YAML: " + e.getProblem()
          + e.getContextMark().map(m -> " (" + e.getContext() + " at line " + (m.getLine() + 1) + ")")
              .orElse(""));
    } catch (YamlEngineException e) {
      throw new NotLogPipelines(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
    List<Document> documents = new ArrayList<>();
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < values.size() && i < nodes.size(); i++) {
      add(source, values.get(i), nodes.get(i), documents, wrong);
    }
    if (!wrong.isEmpty()) {
      throw new NotLogPipelines(String.join("\n", wrong));
    }
    return new YamlDocuments(source, documents);
  }

  /** One document (or item of a List) as a LogPipeline or ShipperClass, or why it is not one. */
  private static void add(String source, Object value, Node node, List<Document> documents, List<String> wrong) {
    if (value == null) {
      return;
    }
    String at = where(source, node.getStartMark());
    if (!(value instanceof Map<?, ?> map)) {
      wrong.add(at + "not a Kubernetes object: expected apiVersion, kind, metadata and spec");
      return;
    }
    String apiVersion = String.valueOf(map.get("apiVersion"));
    String kind = String.valueOf(map.get("kind"));
    if ("v1".equals(apiVersion) && "List".equals(kind) && map.get("items") instanceof List<?> items
        && node instanceof MappingNode mapping) {
      // kubectl get -o yaml of several objects: each item as a document of its own.
      Node itemsNode = mapping.getValue().stream()
          .filter(t -> t.getKeyNode() instanceof ScalarNode key && key.getValue().equals("items"))
          .map(NodeTuple::getValueNode).findFirst().orElse(null);
      for (int i = 0; i < items.size(); i++) {
        Node itemNode = itemsNode instanceof SequenceNode seq && i < seq.getValue().size()
            ? seq.getValue().get(i) : node;
        add(source, items.get(i), itemNode, documents, wrong);
      }
      return;
    }
    Class<? extends HasMetadata> type = "LogPipeline".equals(kind) ? LogPipeline.class
        : "ShipperClass".equals(kind) ? ShipperClass.class : null;
    if (!(LogPipeline.GROUP + "/" + LogPipeline.VERSION).equals(apiVersion) || type == null) {
      wrong.add(at + "expected kind LogPipeline or ShipperClass, apiVersion " + LogPipeline.GROUP + "/"
          + LogPipeline.VERSION + "; found kind " + kind + ", apiVersion " + apiVersion);
      return;
    }
    try {
      documents.add(new Document(Serialization.jsonMapper().convertValue(map, type), node));
    } catch (IllegalArgumentException e) {
      if (type == LogPipeline.class) {
        // The spec never fails (SpecReader); what remains is metadata of the wrong shape.
        wrong.add(at + "LogPipeline with unreadable metadata: expected metadata.name and metadata.namespace as text");
      } else {
        String field = e.getCause() instanceof JsonMappingException m ? path(m) : "";
        wrong.add(where(source, field.isEmpty() ? node.getStartMark() : locate(node, field)) + "ShipperClass "
            + (field.isEmpty() ? "" : field + ": ") + shortly(e) + " (see kubectl explain shipperclass.spec)");
      }
    }
  }

  List<LogPipeline> pipelines() {
    return documents.stream().map(Document::object).filter(LogPipeline.class::isInstance)
        .map(LogPipeline.class::cast).toList();
  }

  List<ShipperClass> classes() {
    return documents.stream().map(Document::object).filter(ShipperClass.class::isInstance)
        .map(ShipperClass.class::cast).toList();
  }

  /** Where Jackson stopped, as a field path: spec.tolerations[0].effect. */
  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** Jackson's first line, without the Java class names it mentions. */
  private static String shortly(IllegalArgumentException e) {
    String message = e.getCause() instanceof JsonMappingException m ? m.getOriginalMessage() : e.getMessage();
    String first = String.valueOf(message).lines().findFirst().orElse("");
    return "unreadable: " + first.replaceAll("\\(class [^)]*\\)", "").replaceAll("`[a-z.]*\\.([A-Za-z]+)`", "$1")
        .replaceAll("\\s+", " ").trim();
  }

  /**
   * "file:line: " for a field of one of the pipelines (or classes) read, e.g. {@code spec.kafka.topic.partitions}
   * or {@code spec.sources.podSelector.matchExpressions[0].key}: the line of the field, or of its
   * nearest parent in the file when the field itself is missing.
   */
  String at(HasMetadata object, String field) {
    for (Document d : documents) {
      if (d.object() == object) {
        return where(source, locate(d.node(), field));
      }
    }
    return "";
  }

  /**
   * Where {@code field} is in a document: a mapping entry's key (where an editor puts the
   * cursor), a list's item; or the nearest parent that exists.
   */
  static Optional<Mark> locate(Node root, String field) {
    Node node = root;
    Optional<Mark> mark = root.getStartMark();
    for (String step : steps(field)) {
      if (node instanceof MappingNode mapping) {
        Optional<NodeTuple> entry = mapping.getValue().stream()
            .filter(t -> t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(step))
            .findFirst();
        if (entry.isEmpty()) {
          break;
        }
        mark = entry.get().getKeyNode().getStartMark();
        node = entry.get().getValueNode();
      } else if (node instanceof SequenceNode sequence && step.matches("\\d{1,9}")
          && Integer.parseInt(step) < sequence.getValue().size()) {
        node = sequence.getValue().get(Integer.parseInt(step));
        mark = node.getStartMark();
      } else {
        break;
      }
    }
    return mark;
  }

  /** "spec.a[0].b[max.message.bytes]" as spec, a, 0, b, max.message.bytes. */
  static List<String> steps(String field) {
    List<String> steps = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '.' || c == '[') {
        if (current.length() > 0) {
          steps.add(current.toString());
          current.setLength(0);
        }
        if (c == '[') {
          int end = field.indexOf(']', i);
          end = end < 0 ? field.length() : end;
          steps.add(field.substring(i + 1, end));
          i = end;
        }
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      steps.add(current.toString());
    }
    return steps;
  }

  private static String where(String source, Optional<Mark> mark) {
    return source + mark.map(m -> ":" + (m.getLine() + 1)).orElse("") + ": ";
  }
}
