package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

/**
 * What the generated filebeat.yml does with a container's log line, as far as the configuration
 * uses Filebeat: which files the filestream input reads (paths globs, exclude_files) and what its
 * processors do to an event (drop_event and add_tags with their conditions), given the fields
 * add_kubernetes_metadata added, or none when it found no metadata.
 */
final class FilebeatSelection {

  /** A container id as the runtimes write it: 64 hex digits. */
  static final String CONTAINER_ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  private FilebeatSelection() {}

  /** The kubelet's link for a container's log: /var/log/containers/<pod>_<ns>_<container>-<id>.log. */
  static Path logFile(String pod, String namespace, String container) {
    return Path.of("/var/log/containers/" + pod + "_" + namespace + "_" + container + "-" + CONTAINER_ID + ".log");
  }

  /** Whether the input opens the file: a path glob matches and no exclude_files regex does. */
  static boolean reads(Pipeline p, Path file) {
    JsonNode input = input(p);
    boolean globbed = texts(input.get("paths")).stream()
        .anyMatch(g -> FileSystems.getDefault().getPathMatcher("glob:" + g).matches(file));
    boolean excluded = input.has("prospector.scanner.exclude_files")
        && texts(input.get("prospector.scanner.exclude_files")).stream()
            .anyMatch(r -> Pattern.compile(r).matcher(file.toString()).find());
    return globbed && !excluded;
  }

  /**
   * The event for a line of {@code file} after the processors, or empty when one drops it.
   *
   * @param metadata the pod's labels when add_kubernetes_metadata knows the pod, null when it
   *     does not (pod deleted and its metadata expired, Filebeat just restarted)
   */
  static Optional<Map<String, Object>> event(Pipeline p, Path file, String container,
      Map<String, String> metadata) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("log.file.path", file.toString());
    fields.put("message", "a line");
    if (metadata != null) {
      fields.put("kubernetes.pod.uid", "6f0a1b2c-0000-4000-8000-000000000001");
      fields.put("kubernetes.container.name", container);
      metadata.forEach((k, v) -> fields.put("kubernetes.labels." + k.replace('.', '_'), v));
    }
    for (JsonNode processor : input(p).get("processors")) {
      assertThat(processor.size()).as("one processor per list entry: %s", processor).isEqualTo(1);
      String name = processor.fieldNames().next();
      JsonNode config = processor.get(name);
      if (config.has("when") && !matches(config.get("when"), fields)) {
        continue;
      }
      switch (name) {
        case "drop_event" -> {
          return Optional.empty();
        }
        case "add_tags" -> {
          @SuppressWarnings("unchecked")
          List<String> tags = (List<String>) fields.computeIfAbsent("tags", k -> new ArrayList<String>());
          config.get("tags").forEach(t -> tags.add(t.asText()));
        }
        default -> { }
      }
    }
    return Optional.of(fields);
  }

  /** Whether a line of this pod's container reaches the output; metadata as in {@link #event}. */
  static boolean shipped(Pipeline p, String pod, String namespace, String container,
      Map<String, String> metadata) {
    Path file = logFile(pod, namespace, container);
    return reads(p, file) && event(p, file, container, metadata).isPresent();
  }

  /** A libbeat condition on the event's fields. */
  static boolean matches(JsonNode condition, Map<String, Object> fields) {
    assertThat(condition.size()).as("one operator per condition: %s", condition).isEqualTo(1);
    String op = condition.fieldNames().next();
    JsonNode arg = condition.get(op);
    switch (op) {
      case "equals": {
        boolean all = true;
        for (var it = arg.fields(); it.hasNext(); ) {
          var e = it.next();
          // equals compares strings with strings only: a YAML number never equals a label value
          all &= e.getValue().isTextual() && e.getValue().asText().equals(fields.get(e.getKey()));
        }
        return all;
      }
      case "regexp": {
        boolean all = true;
        for (var it = arg.fields(); it.hasNext(); ) {
          var e = it.next();
          Object value = fields.get(e.getKey());
          // RE2 and java.util.regex agree on the classes, groups and escapes the model writes.
          all &= value instanceof String s && Pattern.compile(e.getValue().asText()).matcher(s).find();
        }
        return all;
      }
      case "has_fields": {
        boolean all = true;
        for (JsonNode f : arg) {
          all &= fields.containsKey(f.asText());
        }
        return all;
      }
      case "or": {
        assertThat(arg.isArray() && arg.size() > 0).as("non-empty or: %s", arg).isTrue();
        boolean any = false;
        for (JsonNode c : arg) {
          any |= matches(c, fields);
        }
        return any;
      }
      case "and": {
        assertThat(arg.isArray() && arg.size() > 0).as("non-empty and: %s", arg).isTrue();
        boolean all = true;
        for (JsonNode c : arg) {
          all &= matches(c, fields);
        }
        return all;
      }
      case "not":
        return !matches(arg, fields);
      default:
        throw new AssertionError("condition the test does not know: " + condition);
    }
  }

  /** The pipeline's filestream input, rendered and parsed once per pipeline. */
  static JsonNode input(Pipeline p) {
    synchronized (INPUTS) {
      return INPUTS.computeIfAbsent(p, q -> Specs.filebeatYaml(q).get("filebeat.inputs").get(0));
    }
  }

  private static final Map<Pipeline, JsonNode> INPUTS = new java.util.IdentityHashMap<>();

  static List<String> texts(JsonNode array) {
    assertThat(array).isNotNull();
    assertThat(array.isArray()).as("array: %s", array).isTrue();
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
