package io.logpipeline.operator.logstash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real-world filter bodies under {@code src/test/resources/logstash/valid/}: each parses on its
 * own, and again inside the pipeline.conf the operator writes around it.
 */
class ValidCorpusTest {

  static Stream<Path> corpus() throws IOException, URISyntaxException {
    Path dir = Path.of(ValidCorpusTest.class.getResource("/logstash/valid").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".conf")).sorted().toList().stream();
    }
  }

  @Test
  void theCorpusIsLargeEnoughToMeanSomething() throws Exception {
    assertThat(corpus()).hasSizeGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void parsesAsAFilterBody(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    FilterBody body = LogstashParser.parseFilterBody(text);
    boolean meantEmpty = file.getFileName().toString().matches(".*(empty|only-comments).*");
    assertThat(body.plugins().isEmpty()).as("no plugins").isEqualTo(meantEmpty);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void parsesInsideTheOperatorsPipeline(Path file) throws Exception {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> expected = new ArrayList<>(List.of("fingerprint"));
    LogstashParser.parseFilterBody(text).plugins().forEach(p -> expected.add(p.name()));

    PipelineConfig conf = LogstashParser.parsePipeline(OperatorPipelines.withFilter(text));

    assertThat(conf.sections()).extracting(PipelineConfig.Section::type)
        .containsExactly("input", "filter", "output");
    assertThat(conf.sections("filter").get(0).plugins()).extracting(Plugin::name)
        .containsExactlyElementsOf(expected);
  }
}
