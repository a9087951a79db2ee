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
import io.logpipeline.operator.model.SharedShipperModel;
import io.logpipeline.operator.model.ShipperAdmission;
import io.logpipeline.operator.model.SpecProblem;
import io.logpipeline.operator.model.TopicClaims;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.reconciler.ShipperClasses;
import io.logpipeline.operator.reconciler.ShipperPlacement;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

/**
 * Prints, without a cluster, every object and index template body the operator would apply for
 * the LogPipelines in a file; exits 1 when one of them is invalid, so CI can check them. It
 * applies every rule the operator checks but those that need the cluster (referenced Secrets,
 * the Kafka cluster, the existing topic). ShipperClasses in the file place the pipelines'
 * shippers as the operator does, with every pipeline taken as admitted.
 */
@Command(name = "render", description = {"Print the objects and index templates the operator would"
    + " apply for the LogPipelines in the FILEs (YAML, several documents allowed; - for stdin).",
    "ShipperClasses in the FILEs place the shippers as the operator does: a pipeline of a Shared or"
    + " Dedicated class gets no Filebeat of its own (unless it has Kafka credentials); its class's"
    + " Filebeat objects are printed once per group, in --operator-namespace. Pass the class a"
    + " pipeline names (and the default class, which the chart installs) in a FILE"
    + " (kubectl get shipperclasses -o yaml). Render has no topics: it renders every pipeline as"
    + " admitted, as if its topic were Ready, and warns about those maxPipelines or maxConfigBytes"
    + " would keep waiting."})
public final class RenderCommand implements Callable<Integer> {

  /** The namespace the chart's install instructions use for the operator. */
  public static final String OPERATOR_NAMESPACE = "logpipeline-system";

  @Parameters(paramLabel = "FILE", arity = "1..*",
      description = "LogPipeline and ShipperClass YAML files, or - for standard input.")
  List<String> files;

  @Option(names = "--namespace", description = "Namespace for LogPipelines that name none (default: ${DEFAULT-VALUE}).",
      defaultValue = "default")
  String namespace;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(names = "--operator-namespace", paramLabel = "NAMESPACE", defaultValue = OPERATOR_NAMESPACE,
      description = "Where the operator runs, and with it the Filebeats of ShipperClasses (default: ${DEFAULT-VALUE}).")
  String operatorNamespace;

  @Override
  public Integer call() {
    List<YamlDocuments> read = new ArrayList<>();
    boolean failed = false;
    for (String file : files) {
      boolean stdin = "-".equals(file);
      String source = stdin ? "stdin" : file;
      try (InputStream in = stdin ? System.in : Files.newInputStream(Path.of(file))) {
        read.add(YamlDocuments.read(source, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (NoSuchFileException e) {
        System.err.println(source + ": no such file");
        failed = true;
      } catch (IOException e) {
        System.err.println(source + ": cannot be read: " + e.getMessage());
        failed = true;
      } catch (YamlDocuments.NotLogPipelines e) {
        System.err.println(e.getMessage());
        failed = true;
      }
    }
    if (failed) {
      return 1;
    }
    return render(read.stream().flatMap(d -> d.pipelines().stream()).toList(),
        read.stream().flatMap(d -> d.classes().stream()).toList(), namespace, operatorNamespace, System.out,
        System.err, (object, field) -> read.stream().map(d -> d.at(object, field)).filter(at -> !at.isEmpty())
            .findFirst().orElse(""));
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
    return render(pipelines, List.of(), defaultNamespace, OPERATOR_NAMESPACE, out, err);
  }

  /**
   * As {@link #render(List, String, PrintStream, PrintStream)}, the pipelines' shippers placed by
   * {@code classes} as the operator places them, shared ones in {@code operatorNamespace}.
   */
  public static int render(List<LogPipeline> pipelines, List<ShipperClass> classes, String defaultNamespace,
      String operatorNamespace, PrintStream out, PrintStream err) {
    return render(pipelines, classes, defaultNamespace, operatorNamespace, out, err, (lp, field) -> "");
  }

  /**
   * As {@link #render(List, String, PrintStream, PrintStream)} with ShipperClasses, each problem
   * preceded by where its field is in the input ({@code file:line: }).
   */
  static int render(List<LogPipeline> pipelines, List<ShipperClass> classes, String defaultNamespace,
      String operatorNamespace, PrintStream out, PrintStream err, BiFunction<HasMetadata, String, String> where) {
    int exit = 0;
    // Per class by name, the pipelines its shared shippers carry, in the order of the input.
    Map<String, List<ShipperAdmission.Candidate>> members = new TreeMap<>();
    Map<String, ShipperClass> byName = new TreeMap<>();
    Map<String, LogPipeline> byKey = new java.util.HashMap<>();
    // Written as it is rendered, through one buffer: the output is some 12 kB per pipeline.
    Writer yaml = new BufferedWriter(printingTo(out), 1 << 16);
    // One generator for all documents: it starts the second and later ones with "---" itself.
    SequenceWriter documents = null;
    for (LogPipeline lp : pipelines) {
      if (lp.getMetadata().getNamespace() == null) {
        lp.getMetadata().setNamespace(defaultNamespace);
      }
    }
    // The pipelines by the topic they name, once: each is then checked against its claimants only.
    Map<String, List<LogPipeline>> claimants = new java.util.HashMap<>();
    for (LogPipeline lp : pipelines) {
      TopicClaims.keys(lp).forEach(key -> claimants.computeIfAbsent(key, k -> new ArrayList<>()).add(lp));
    }
    try {
      for (LogPipeline lp : pipelines) {
        String id = lp.getMetadata().getNamespace() + "/" + lp.getMetadata().getName();
        try {
          Pipeline pipeline = Pipeline.resolve(lp);
          // A topic carries one pipeline's logs: the others naming it are refused, as the operator does.
          Optional<LogPipeline> owner = TopicClaims.otherOwner(lp, TopicClaims.keys(lp).stream()
              .flatMap(key -> claimants.getOrDefault(key, List.of()).stream()).toList());
          if (owner.isPresent()) {
            throw new InvalidSpecException(List.of(TopicClaims.problem(lp, owner.get())));
          }
          pipeline.warnings().forEach(w ->
              err.println(where.apply(lp, w.field()) + "LogPipeline " + id + ": warning: " + w));
          ShipperPlacement placement = placement(lp, pipeline, classes);
          if (placement.shared()) {
            ShipperClass cls = placement.shipperClass();
            byName.put(cls.getMetadata().getName(), cls);
            List<ShipperAdmission.Candidate> of = members.computeIfAbsent(cls.getMetadata().getName(),
                k -> new ArrayList<>());
            byKey.put(id, lp);
            // Admitted in the order of the input, each topic taken as Ready.
            of.add(new ShipperAdmission.Candidate(id, pipeline, false, true, String.format("%09d", of.size()), false));
          }
          Render render = Render.of(pipeline, placement.ownDaemonSet(), placement.paths());
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
      for (var e : members.entrySet()) {
        List<HasMetadata> objects = sharedShippers(byName.get(e.getKey()), e.getValue(), operatorNamespace,
            err, key -> where.apply(byKey.get(key), "spec.shipper.className"));
        if (documents == null) {
          yaml.write("---\n");
          documents = OBJECT_YAML.writeValues(yaml);
        }
        documents.writeAll(objects);
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

  /**
   * Where the pipeline's shipper runs, by the operator's rules ({@link ShipperClasses},
   * {@link ShipperPlacement}), with no DaemonSet of its own running yet; the class's tenancy is
   * checked as the operator checks it.
   */
  private static ShipperPlacement placement(LogPipeline lp, Pipeline pipeline, List<ShipperClass> classes)
      throws InvalidSpecException {
    Optional<ShipperClass> cls = ShipperClasses.of(lp, classes);
    String named = ShipperClasses.className(lp);
    if (named != null && cls.isEmpty()) {
      throw new InvalidSpecException(List.of(new SpecProblem("spec.shipper.className", "ShipperClass " + named
          + " is not in the input: pass the file with the ShipperClass too (kubectl get shipperclass " + named
          + " -o yaml), or leave spec.shipper.className out for the default class")));
    }
    if (cls.isPresent()) {
      List<SpecProblem> denied = SharedShipperModel.tenancyProblems(pipeline, cls.get().getSpec());
      if (!denied.isEmpty()) {
        throw new InvalidSpecException(denied);
      }
    }
    return ShipperPlacement.of(pipeline, cls.orElse(null), false);
  }

  /**
   * A class's shared shippers for the pipelines it carries, planned by the operator's admission
   * ({@link ShipperAdmission#plan}) from no previous record; warns about the pipelines the
   * class's bounds would keep waiting.
   */
  private static List<HasMetadata> sharedShippers(ShipperClass cls, List<ShipperAdmission.Candidate> candidates,
      String operatorNamespace, PrintStream err, java.util.function.UnaryOperator<String> where) {
    // The record in a class read from the cluster is of the cluster's pipelines, not the input's.
    ShipperClass fresh = new ShipperClass();
    fresh.setMetadata(cls.getMetadata());
    fresh.setSpec(cls.getSpec());
    ShipperAdmission.Plan plan = ShipperAdmission.plan(fresh, candidates, Map.of(), Instant.EPOCH, Duration.ZERO);
    for (ShipperClassStatus.Group g : plan.status().getGroups()) {
      for (ShipperClassStatus.Member m : g.pipelines()) {
        if (!ShipperAdmission.admitted(m.state())) {
          err.println(where.apply(m.pipeline()) + "LogPipeline " + m.pipeline() + ": warning: ShipperClass "
              + cls.getMetadata().getName() + " would keep it waiting (" + m.state() + ": maxPipelines "
              + cls.getSpec().getMaxPipelines() + ", maxConfigBytes " + cls.getSpec().getMaxConfigBytes()
              + "); its input is not rendered");
        }
      }
    }
    List<HasMetadata> objects = new ArrayList<>();
    plan.inputs().forEach((name, inputs) -> objects.addAll(Render.sharedShipper(new SharedShipperModel.Group(
        cls, operatorNamespace, name, plan.pipelines().getOrDefault(name, List.of())), inputs,
        plan.acls().get(name))));
    return objects;
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
