package io.logpipeline.operator.model.properties;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Kubernetes' rules for names, label keys and label values (apimachinery's validation), to check
 * rendered objects against. The regular expressions are those of the model tests' Specs fixture.
 */
final class KubernetesRules {

  /** A DNS-1035 label: what a Service name must be, and the strictest rule for our names. */
  static final String DNS_1035 = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
  /** A label value (may be empty). */
  static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
  /** A DNS-1123 subdomain: what most object names (ConfigMap, KafkaTopic, ...) must be. */
  static final String DNS_1123_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /** The name part of a qualified name (label key, annotation key). */
  static final String QUALIFIED_NAME = "^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$";
  /** RBAC object names are path segment names: anything but '/' and '%', not '.' or '..'. */
  static final String RBAC_NAME = "^[^/%]+$";

  static final int WORKLOAD_NAME_MAX = 52;
  static final int LABEL_VALUE_MAX = 63;
  static final int SUBDOMAIN_MAX = 253;

  private static final Pattern SUBDOMAIN = Pattern.compile(DNS_1123_SUBDOMAIN);

  private KubernetesRules() {}

  /** A legal LogPipeline metadata.name as the generators make it (labels of at most 63 too). */
  static boolean isObjectName(String s) {
    if (s.isEmpty() || s.length() > SUBDOMAIN_MAX || !SUBDOMAIN.matcher(s).matches()) {
      return false;
    }
    for (String label : s.split("\\.")) {
      if (label.length() > 63) {
        return false;
      }
    }
    return true;
  }

  static boolean isSubdomain(String s) {
    return s != null && !s.isEmpty() && s.length() <= SUBDOMAIN_MAX && SUBDOMAIN.matcher(s).matches();
  }

  /** apimachinery IsQualifiedName: [prefix/]name, prefix a DNS subdomain, name at most 63. */
  static boolean isQualifiedName(String key) {
    String[] parts = key.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      if (!isSubdomain(parts[0])) {
        return false;
      }
      name = parts[1];
    } else {
      return false;
    }
    return !name.isEmpty() && name.length() <= 63 && name.matches(QUALIFIED_NAME);
  }

  static boolean isLabelValue(String value) {
    return value != null && value.length() <= LABEL_VALUE_MAX && value.matches(LABEL_VALUE);
  }

  static void assertLegalLabels(String what, Map<String, String> labels) {
    if (labels == null) {
      return;
    }
    labels.forEach((k, v) -> {
      assertThat(isQualifiedName(k)).as("%s: label key '%s' is a qualified name", what, k).isTrue();
      assertThat(isLabelValue(v)).as("%s: value '%s' of label %s is a label value", what, v, k).isTrue();
    });
  }

  static void assertLegalAnnotationKeys(String what, Map<String, String> annotations) {
    if (annotations == null) {
      return;
    }
    annotations.keySet().forEach(k ->
        assertThat(isQualifiedName(k)).as("%s: annotation key '%s'", what, k).isTrue());
  }

  /** Resolves a spec the test expects to be valid; fails with the problems otherwise. */
  static Pipeline resolve(LogPipeline lp) {
    try {
      return Pipeline.resolve(lp);
    } catch (InvalidSpecException e) {
      throw new AssertionError("expected a valid spec, got: " + e.getMessage(), e);
    }
  }
}
