package io.logpipeline.operator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.ConfigFiles;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.Render;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Prints, without a cluster, every object and index template body the operator would apply for
 * the LogPipelines in a file; exits 1 when one of them is invalid, so CI can check them. It
 * applies every rule the operator checks but those that need the cluster (referenced Secrets,
 * the Kafka cluster, the existing topic).
 */
@Command(name = "render", description = "Print the objects and index templates the operator would"
    + " apply for the LogPipelines in FILE (YAML, several documents allowed; - for stdin).")
public final class RenderCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "LogPipeline YAML file, or - for standard input.")
  String file;

  @Option(names = "--namespace", description = "Namespace for LogPipelines that name none (default: ${DEFAULT-VALUE}).",
      defaultValue = "default")
  String namespace;

  @Override
  public Integer call() throws IOException {
    List<LogPipeline> pipelines;
    try (InputStream in = "-".equals(file) ? System.in : Files.newInputStream(Path.of(file))) {
      pipelines = read(in);
    } catch (RuntimeException e) {
      System.err.println(file + ": not a LogPipeline YAML file: " + e.getMessage());
      return 2;
    }
    return render(pipelines, namespace, System.out, System.err);
  }

  static List<LogPipeline> read(InputStream in) {
    Object parsed = Serialization.unmarshal(in);
    List<LogPipeline> pipelines = new ArrayList<>();
    List<?> items = parsed instanceof List<?> l ? l : List.of(parsed);
    for (Object item : items) {
      if (item instanceof LogPipeline lp) {
        pipelines.add(lp);
      } else if (item != null) {
        String kind = item instanceof HasMetadata h ? h.getKind() : item.getClass().getSimpleName();
        throw new IllegalArgumentException("expected kind LogPipeline (apiVersion "
            + LogPipeline.GROUP + "/" + LogPipeline.VERSION + "), found " + kind);
      }
    }
    return pipelines;
  }

  /** Renders every pipeline; returns 0, or 1 when any is invalid (its problems on err). */
  public static int render(List<LogPipeline> pipelines, String defaultNamespace, PrintStream out,
      PrintStream err) {
    int exit = 0;
    StringBuilder yaml = new StringBuilder();
    for (LogPipeline lp : pipelines) {
      if (lp.getMetadata().getNamespace() == null) {
        lp.getMetadata().setNamespace(defaultNamespace);
      }
      String id = lp.getMetadata().getNamespace() + "/" + lp.getMetadata().getName();
      try {
        Pipeline pipeline = Pipeline.resolve(lp);
        pipeline.warnings().forEach(w -> err.println("LogPipeline " + id + ": warning: " + w));
        Render render = Render.of(pipeline);
        for (HasMetadata o : render.objects()) {
          yaml.append("---\n").append(ConfigFiles.yaml(Serialization.jsonMapper().convertValue(o, Object.class)));
        }
        yaml.append("---\n").append(ConfigFiles.yaml(templateDocument(render)));
      } catch (InvalidSpecException e) {
        exit = 1;
        e.problems().forEach(problem -> err.println("LogPipeline " + id + ": " + problem));
      }
    }
    out.print(yaml);
    out.flush();
    return exit;
  }

  /** The index template as a document of its own, marked so no one kubectl-applies it. */
  private static Object templateDocument(Render render) {
    ObjectNode doc = Serialization.jsonMapper().createObjectNode();
    doc.put("request", "PUT _index_template/" + render.pipeline().templateName());
    doc.putArray("hosts").addAll(render.pipeline().hosts().stream()
        .map(h -> (com.fasterxml.jackson.databind.JsonNode) doc.textNode(h.toString())).toList());
    doc.set("body", render.indexTemplate());
    return doc;
  }
}
