package io.logpipeline.operator.model.properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.cli.RenderCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Property 4: rendering is a pure function of the spec. The same spec rendered twice, a copy of
 * it that went through JSON (as it does to and from the API server) and one that went through
 * YAML (as `render FILE` reads it) give byte-identical YAML, and rendering leaves the LogPipeline
 * as it was.
 */
class RenderDeterminismPropertiesTest {

  @Test
  void renderIsByteIdenticalForTheSameSpecAndItsJsonCopy() {
    qt().withExamples(200).forAll(ValidLogPipelines.logPipelines())
        .checkAssert(RenderDeterminismPropertiesTest::rendersTheSameEveryTime);
  }

  private static void rendersTheSameEveryTime(LogPipeline lp) {
    String before = json(lp);
    LogPipeline copy = ValidLogPipelines.copy(lp);
    // What `render FILE` reads: the LogPipeline written as YAML and read back by fabric8.
    LogPipeline fromYaml = Serialization.unmarshal(Serialization.asYaml(lp), LogPipeline.class);

    Output first = render(lp);
    Output second = render(lp);
    Output ofCopy = render(copy);
    Output ofYaml = render(fromYaml);

    assertThat(first.yaml()).isNotEmpty();
    assertThat(new String(second.yaml(), StandardCharsets.UTF_8)).as("second render")
        .isEqualTo(new String(first.yaml(), StandardCharsets.UTF_8));
    assertThat(new String(ofCopy.yaml(), StandardCharsets.UTF_8)).as("render of the JSON copy")
        .isEqualTo(new String(first.yaml(), StandardCharsets.UTF_8));
    assertThat(new String(ofYaml.yaml(), StandardCharsets.UTF_8)).as("render of the YAML copy")
        .isEqualTo(new String(first.yaml(), StandardCharsets.UTF_8));
    assertThat(second.messages()).as("warnings of the second render").isEqualTo(first.messages());
    assertThat(ofCopy.messages()).as("warnings of the JSON copy").isEqualTo(first.messages());
    assertThat(json(lp)).as("the LogPipeline after render").isEqualTo(before);
  }

  private static String json(LogPipeline lp) {
    try {
      return Serialization.jsonMapper().writeValueAsString(lp);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What render printed: the YAML, and the lines on the error stream. */
  record Output(byte[] yaml, String messages) {}

  private static Output render(LogPipeline lp) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = RenderCommand.render(List.of(lp), "default",
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String messages = err.toString(StandardCharsets.UTF_8);
    // A valid spec may draw warnings (legal, likely unintended), never problems.
    assertThat(messages.lines()).as("render messages").allMatch(l -> l.contains(": warning: "));
    assertThat(exit).isZero();
    return new Output(out.toByteArray(), messages);
  }
}
