package io.logpipeline.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.LogPipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The invalid LogPipelines under {@code src/test/resources/invalid/}: one YAML file each, with a
 * comment header that says what it checks, who rejects it and with what.
 *
 * <pre>
 * # checks: what is wrong, in words
 * # owner: schema | operator      (the API server through the CRD, or Pipeline.resolve)
 * # field: spec.kafka.topic.partitions
 * # message: should be greater than or equal to 1   (a substring of the expected error)
 * # secret: changeme              (optional: text that no error may echo)
 * # documents: old, new           (updates only: the first document is the stored object)
 * </pre>
 *
 * A file with two documents is an update (for transition rules): the first is the object as
 * stored, the second the one written over it.
 */
final class InvalidCorpus {

  static final String SCHEMA = "schema";
  static final String OPERATOR = "operator";
  static final String CRD_FILE = "crds/logpipelines.logpipeline.io-v1.yml";

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final Pattern HEADER = Pattern.compile("^#\\s*([a-z]+):\\s?(.*)$");

  private InvalidCorpus() {}

  /**
   * One corpus file.
   *
   * @param name file name without {@code .yaml}, also the LogPipeline's name
   * @param text the whole file
   * @param header the header's keys and values
   * @param documents the YAML documents as JSON trees: one, or the old and the new object
   */
  record Entry(String name, Path path, String text, Map<String, String> header,
      List<JsonNode> documents) {

    String checks() {
      return header.get("checks");
    }

    String owner() {
      return header.get("owner");
    }

    String field() {
      return header.get("field");
    }

    String message() {
      return header.get("message");
    }

    /** Text that must not appear in any error, or null. */
    String secret() {
      return header.get("secret");
    }

    boolean isUpdate() {
      return documents.size() == 2;
    }

    /** The object written: the only document, or the second of an update. */
    JsonNode object() {
      return documents.get(documents.size() - 1);
    }

    /** The stored object of an update, or null. */
    JsonNode oldObject() {
      return isUpdate() ? documents.get(0) : null;
    }

    /** The written object read as the operator reads it (fabric8's deserializer). */
    LogPipeline logPipeline() {
      Object parsed = Serialization.unmarshal(text);
      if (parsed instanceof List<?> list) {
        parsed = list.get(list.size() - 1);
      }
      if (!(parsed instanceof LogPipeline lp)) {
        throw new IllegalStateException(name + ": not read as a LogPipeline but as "
            + (parsed == null ? "nothing" : parsed.getClass().getName()));
      }
      return lp;
    }

    String namespace() {
      return object().path("metadata").path("namespace").asText("default");
    }

    @Override
    public String toString() {
      return owner() + ": " + name;
    }
  }

  /** Every corpus file, sorted by name. */
  static List<Entry> entries() {
    try (Stream<Path> files = Files.list(directory())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml"))
          .sorted()
          .map(InvalidCorpus::read)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Entry> owned(String owner) {
    return entries().stream().filter(e -> e.owner().equals(owner));
  }

  static Path directory() {
    try {
      return Path.of(Objects.requireNonNull(InvalidCorpus.class.getResource("/invalid"),
          "src/test/resources/invalid on the test classpath").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Entry read(Path file) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      Map<String, String> header = new LinkedHashMap<>();
      for (String line : text.split("\n")) {
        if (!line.startsWith("#")) {
          break;
        }
        Matcher m = HEADER.matcher(line);
        if (m.matches()) {
          header.put(m.group(1), m.group(2).strip());
        }
      }
      String name = file.getFileName().toString().replaceFirst("\\.yaml$", "");
      for (String key : List.of("checks", "owner", "field", "message")) {
        if (header.getOrDefault(key, "").isEmpty()) {
          throw new IllegalStateException(file + ": the header has no '# " + key + ": ...' line");
        }
      }
      if (!List.of(SCHEMA, OPERATOR).contains(header.get("owner"))) {
        throw new IllegalStateException(file + ": owner is schema or operator, not "
            + header.get("owner"));
      }
      List<JsonNode> documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll()
          .stream().filter(d -> d != null && !d.isMissingNode() && !d.isNull()).toList();
      if (documents.isEmpty() || documents.size() > 2) {
        throw new IllegalStateException(file + ": one document, or two for an update (old, new);"
            + " found " + documents.size());
      }
      if ((documents.size() == 2) != header.containsKey("documents")) {
        throw new IllegalStateException(file + ": an update has two documents and says so in a"
            + " '# documents: old, new' header line");
      }
      return new Entry(name, file, text, Map.copyOf(header), documents);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The repository root: the first directory up from here that holds the generated CRD. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(CRD_FILE))) {
        return d;
      }
    }
    throw new IllegalStateException("no " + CRD_FILE + " in " + dir + " or above");
  }

  static Path crdFile() {
    return repositoryRoot().resolve(CRD_FILE);
  }

  private static CrdSchemaValidator validator;

  /** The API server's checks, from the CRD as the build generated it. */
  static synchronized CrdSchemaValidator apiServer() {
    if (validator == null) {
      try {
        validator = CrdSchemaValidator.load(crdFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return validator;
  }

  /** The valid examples users copy from: {@code samples/*.yaml}. */
  static List<Path> samples() {
    try (Stream<Path> files = Files.list(repositoryRoot().resolve("samples"))) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readYaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readYaml(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
