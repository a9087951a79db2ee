package io.logpipeline.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.util.Map;
import java.util.TreeMap;

/** Writes the products' YAML configuration files and fingerprints them for pod rollouts. */
public final class ConfigFiles {

  /**
   * YAML as the products read it: no document marker, and every string value double-quoted.
   * Minimal quoting would leave values such as 1e3, 0x1F or 1_000 plain, which YAML readers
   * (Filebeat's among them) take for numbers: a label value "1e3" would then never match.
   */
  public static final ObjectMapper YAML = new ObjectMapper(
      YAMLFactory.builder()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
          // Polymorphic types (Strimzi's KafkaUser authentication and ACL resources) as their
          // "type" property, not YAML tags such as !<scram-sha-512> that kubectl cannot read.
          .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
          .build())
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ConfigFiles() {}

  public static String yaml(Object tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("config trees are plain maps and lists", e);
    }
  }

  /**
   * Fingerprint of a ConfigMap's data, put on the pod template: pods restart exactly when the
   * configuration they read changes, since subPath-mounted files are never refreshed in place.
   */
  public static String hash(Map<String, String> data) {
    StringBuilder all = new StringBuilder();
    new TreeMap<>(data).forEach((k, v) -> all.append(k).append('\0').append(v).append('\0'));
    return Names.hash(all.toString(), 16);
  }
}
