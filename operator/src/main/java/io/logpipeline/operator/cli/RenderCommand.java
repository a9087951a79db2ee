package io.logpipeline.operator.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.ConfigFiles;
import io.logpipeline.operator.elastic.LifecycleApi;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.LifecyclePolicyModel;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.Render;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

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
  public Integer call() {
    boolean stdin = "-".equals(file);
    String source = stdin ? "stdin" : file;
    YamlDocuments documents;
    try (InputStream in = stdin ? System.in : Files.newInputStream(Path.of(file))) {
      documents = YamlDocuments.read(source, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      System.err.println(source + ": no such file");
      return 1;
    } catch (IOException e) {
      System.err.println(source + ": cannot be read: " + e.getMessage());
      return 1;
    } catch (YamlDocuments.NotLogPipelines e) {
      System.err.println(e.getMessage());
      return 1;
    }
    return render(documents.pipelines(), namespace, System.out, System.err, documents::at);
  }

  /** Every LogPipeline of a YAML stream; for tools that read many files without a location. */
  static List<LogPipeline> read(InputStream in) {
    Object parsed = Serialization.unmarshal(in);
    List<LogPipeline> pipelines = new ArrayList<>();
    List<?> items = parsed instanceof List<?> l ? l : List.of(parsed);
    for (Object item : items) {
      if (item instanceof LogPipeline lp) {
        pipelines.add(lp);
      } else if (item != null) {
        String kind = item instanceof HasMetadata h ? h.getKind() : "no Kubernetes object";
        throw new IllegalArgumentException("expected kind LogPipeline (apiVersion "
            + LogPipeline.GROUP + "/" + LogPipeline.VERSION + "), found " + kind);
      }
    }
    return pipelines;
  }

  /**
   * The Kubernetes objects as YAML: fabric8's mapper (its serializers and inclusion rules) with
   * the generator of {@link ConfigFiles#YAML}, so beans go to YAML in one pass, with no map in
   * between. Never closes nor flushes the writer it is given (a SequenceWriter's close ends the
   * YAML stream only).
   */
  private static final ObjectWriter OBJECT_YAML = Serialization.jsonMapper()
      .copyWith(ConfigFiles.YAML.getFactory().copy())
      .writer()
      .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .without(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);

  /** Renders every pipeline; returns 0, or 1 when any is invalid (its problems on err). */
  public static int render(List<LogPipeline> pipelines, String defaultNamespace, PrintStream out,
      PrintStream err) {
    return render(pipelines, defaultNamespace, out, err, (lp, field) -> "");
  }

  /**
   * As {@link #render(List, String, PrintStream, PrintStream)}, each problem preceded by where its
   * field is in the input ({@code file:line: }).
   */
  static int render(List<LogPipeline> pipelines, String defaultNamespace, PrintStream out,
      PrintStream err, BiFunction<LogPipeline, String, String> where) {
    int exit = 0;
    // Written as it is rendered, through one buffer: the output is some 12 kB per pipeline.
    Writer yaml = new BufferedWriter(printingTo(out), 1 << 16);
    // One generator for all documents: it starts the second and later ones with "---" itself.
    SequenceWriter documents = null;
    try {
      for (LogPipeline lp : pipelines) {
        if (lp.getMetadata().getNamespace() == null) {
          lp.getMetadata().setNamespace(defaultNamespace);
        }
        String id = lp.getMetadata().getNamespace() + "/" + lp.getMetadata().getName();
        try {
          Pipeline pipeline = Pipeline.resolve(lp);
          pipeline.warnings().forEach(w ->
              err.println(where.apply(lp, w.field()) + "LogPipeline " + id + ": warning: " + w));
          Render render = Render.of(pipeline);
          if (documents == null) {
            yaml.write("---\n");
            documents = OBJECT_YAML.writeValues(yaml);
          }
          documents.writeAll(render.objects());
          if (render.lifecyclePolicy() != null) {
            documents.write(policyDocument(render));
          }
          documents.write(templateDocument(render));
          if (render.deadLetterTemplate() != null) {
            documents.write(searchDocument(render, "PUT _index_template/" + render.pipeline().deadLetterTemplateName(),
                render.deadLetterTemplate()));
          }
        } catch (InvalidSpecException e) {
          exit = 1;
          e.problems().forEach(problem ->
              err.println(where.apply(lp, problem.field()) + "LogPipeline " + id + ": " + problem));
        }
      }
      if (documents != null) {
        documents.close();
      }
      yaml.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return exit;
  }

  /** Characters to {@code out}, encoded as it encodes them, its errors left to it as before. */
  private static Writer printingTo(PrintStream out) {
    return new Writer() {
      @Override
      public void write(char[] chars, int offset, int length) {
        out.append(CharBuffer.wrap(chars, offset, length));
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {
        out.flush();
      }
    };
  }

  /** The index template as a document of its own, marked so no one kubectl-applies it. */
  private static Object templateDocument(Render render) {
    return searchDocument(render, "PUT _index_template/" + render.pipeline().templateName(),
        render.indexTemplate());
  }

  /** The lifecycle policy (ILM or ISM) as a document of its own, like the template. */
  private static Object policyDocument(Render render) {
    String path = LifecyclePolicyModel.api(render.pipeline()) == LifecycleApi.ILM
        ? "_ilm/policy/" : "_plugins/_ism/policies/";
    return searchDocument(render, "PUT " + path + render.pipeline().indexNames().policyName(),
        render.lifecyclePolicy());
  }

  private static ObjectNode searchDocument(Render render, String request, ObjectNode body) {
    ObjectNode doc = Serialization.jsonMapper().createObjectNode();
    doc.put("request", request);
    doc.putArray("hosts").addAll(render.pipeline().hosts().stream()
        .map(h -> (com.fasterxml.jackson.databind.JsonNode) doc.textNode(h.toString())).toList());
    doc.set("body", body);
    return doc;
  }
}
