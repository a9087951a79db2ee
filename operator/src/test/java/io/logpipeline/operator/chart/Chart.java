package io.logpipeline.operator.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The chart under test, rendered with the real Helm library (helm-java), and its output parsed
 * into fabric8 objects. Tests run with the operator module as working directory.
 */
final class Chart {

  static final Path DIR = Paths.get("../charts/logpipeline-operator").toAbsolutePath().normalize();
  static final Path CRD = Paths.get("../crds/logpipelines.logpipeline.io-v1.yml").toAbsolutePath().normalize();
  static final Path SHIPPER_CLASS_CRD =
      Paths.get("../crds/shipperclasses.logpipeline.io-v1.yml").toAbsolutePath().normalize();

  /** What {@code helm show crds} prints: each CRD file, in name order, and a newline. */
  static String crds() throws java.io.IOException {
    return java.nio.file.Files.readString(CRD) + "\n" + java.nio.file.Files.readString(SHIPPER_CLASS_CRD) + "\n";
  }
  static final String RELEASE = "lpo";
  static final String NAMESPACE = "logpipeline-system";
  /** The release's full name: release name and chart name. */
  static final String FULLNAME = RELEASE + "-logpipeline-operator";

  private static Path renderable;

  private Chart() {}

  static Path resource(String name) {
    return Paths.get("src/test/resources/chart", name).toAbsolutePath();
  }

  /**
   * A copy of the chart that helm-java can template: the same files (the CRD symlink resolved)
   * without Chart.yaml's kubeVersion. helm-java's template has no --kube-version and renders for
   * Helm's built-in default, Kubernetes v1.20.0, which the chart's kubeVersion ">=1.25.0-0"
   * refuses (ChartTest pins that quirk). Everything else is rendered exactly as in the chart.
   */
  static synchronized Path renderable() {
    if (renderable != null) {
      return renderable;
    }
    try {
      Path copy = Files.createTempDirectory("chart-").resolve(DIR.getFileName().toString());
      try (Stream<Path> files = Files.walk(DIR)) {
        for (Path source : (Iterable<Path>) files::iterator) {
          Path target = copy.resolve(DIR.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.copy(source, target); // follows the symlink: the CRD's content
          }
        }
      }
      Path chartYaml = copy.resolve("Chart.yaml");
      String original = Files.readString(chartYaml);
      String stripped = original.replaceAll("(?m)^kubeVersion:.*\\R", "");
      if (stripped.equals(original)) {
        throw new IllegalStateException("Chart.yaml has no kubeVersion line to strip");
      }
      Files.writeString(chartYaml, stripped);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(copy.getParent())));
      renderable = copy;
      return copy;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  /** helm template with the chart's defaults, a values file (may be null) and --set pairs. */
  static String template(Path valuesFile, Map<String, Object> set) {
    TemplateCommand template = new Helm(renderable()).template()
        .withName(RELEASE).withNamespace(NAMESPACE);
    if (valuesFile != null) {
      template = template.withValuesFile(valuesFile);
    }
    for (var e : set.entrySet()) {
      template = template.set(e.getKey(), e.getValue());
    }
    return template.call();
  }

  /** helm install --dry-run=client: the release's output, NOTES included (which template omits). */
  static String installDryRun(Path valuesFile) {
    var install = new Helm(renderable()).install().withName(RELEASE).withNamespace(NAMESPACE).dryRun().clientOnly();
    if (valuesFile != null) {
      install = install.withValuesFile(valuesFile);
    }
    return install.call().getOutput();
  }

  static List<HasMetadata> render(Path valuesFile, Map<String, Object> set) {
    return parse(template(valuesFile, set));
  }

  static List<HasMetadata> render() {
    return render(null, Map.of());
  }

  /** Every YAML document of a multi-document stream that holds more than comments. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      boolean empty = doc.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
      if (!empty) {
        Object parsed = Serialization.unmarshal(doc);
        if (!(parsed instanceof HasMetadata object)) {
          throw new IllegalStateException("not a Kubernetes object: " + doc);
        }
        objects.add(object);
      }
    }
    return objects;
  }

  static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> type) {
    List<T> found = all(objects, type);
    if (found.size() != 1) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
    }
    return found.get(0);
  }

  static Optional<HasMetadata> byKind(List<HasMetadata> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).findFirst();
  }
}
