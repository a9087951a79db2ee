package io.logpipeline.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.cli.RenderCommand;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.validation.CrdSchemaValidator.Violation;
import io.logpipeline.operator.validation.InvalidCorpus.Entry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file of the invalid corpus is rejected by its owner, on the field its header names and
 * with a message containing its header's text, and on nothing else (one thing wrong per file).
 * schema: the CRD's OpenAPI schema and CEL rules, as the API server applies them; operator:
 * {@link Pipeline#resolve} and {@code render}, which applies the same validation.
 */
class InvalidCorpusTest {

  static Stream<Entry> corpus() {
    return InvalidCorpus.entries().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void isRejectedByItsOwner(Entry file) throws Exception {
    if (file.owner().equals(InvalidCorpus.SCHEMA)) {
      assertRejectedByApiServer(file);
    } else {
      assertRejectedByOperator(file);
    }
  }

  private static void assertRejectedByApiServer(Entry file) {
    CrdSchemaValidator apiServer = InvalidCorpus.apiServer();
    List<Violation> errors;
    if (file.isUpdate()) {
      assertThat(apiServer.validate(file.oldObject()))
          .as("%s: the stored object (first document) is valid", file.name()).isEmpty();
      assertThat(apiServer.validate(file.object()))
          .as("%s: the new object is valid as a create: only the update is wrong", file.name())
          .isEmpty();
      errors = apiServer.validate(file.object(), file.oldObject());
    } else {
      errors = apiServer.validate(file.object());
    }
    assertThat(errors)
        .as("%s (%s): the API server's errors", file.name(), file.checks())
        .anySatisfy(e -> {
          assertThat(e.field()).isEqualTo(file.field());
          assertThat(e.message()).contains(file.message());
        })
        .allSatisfy(e -> assertThat(e.field())
            .as("one thing wrong per file: every error is on %s", file.field())
            .isEqualTo(file.field()));
  }

  private static void assertRejectedByOperator(Entry file) {
    LogPipeline lp = file.logPipeline();
    InvalidSpecException invalid =
        catchThrowableOfType(InvalidSpecException.class, () -> Pipeline.resolve(lp));
    assertThat(invalid).as("%s (%s): Pipeline.resolve throws InvalidSpecException",
        file.name(), file.checks()).isNotNull();
    assertThat(invalid.problems())
        .as("%s: the operator's problems", file.name())
        .anySatisfy(p -> {
          assertThat(p.field()).isEqualTo(file.field());
          assertThat(p.message()).contains(file.message());
        })
        .allSatisfy(p -> assertThat(p.field())
            .as("one thing wrong per file: every problem is on %s", file.field())
            .isEqualTo(file.field()));

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = RenderCommand.render(List.of(file.logPipeline()), "default",
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String errText = err.toString(StandardCharsets.UTF_8);
    assertThat(exit).as("%s: render exits 1; stderr: %s", file.name(), errText).isEqualTo(1);
    String prefix = "LogPipeline " + file.namespace() + "/" + file.name() + ": " + file.field() + ": ";
    assertThat(errText.lines())
        .as("%s: render names the pipeline, the field and the reason", file.name())
        .anySatisfy(line -> assertThat(line).startsWith(prefix).contains(file.message()));
    assertThat(out.toString(StandardCharsets.UTF_8)).as("render prints nothing for an invalid pipeline")
        .isEmpty();

    if (file.secret() != null) {
      assertThat(invalid.getMessage()).doesNotContain(file.secret());
      assertThat(invalid.problems()).allSatisfy(p -> assertThat(p.toString()).doesNotContain(file.secret()));
      assertThat(errText).doesNotContain(file.secret());
    }
  }
}
