package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.databind.JsonNode;
import io.logpipeline.operator.api.MultilineSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Point 2 of the shipper's durability: a long line is truncated and flagged by Filebeat's reader,
 * never dropped by its Kafka output, refused by the topic or left unfetched by Logstash.
 */
class MessageSizesTest {

  /** The longest raw line of a container log: a 16 KiB chunk in Docker's json-file, escaped 6x. */
  static final int LONGEST_RAW_LINE = 16 * 1024 * 6 + 128;

  @Test
  void theDefaultsKeepKafkasOwnLimitAndReadLinesOfAbout150KiB() {
    MessageSizes sizes = MessageSizes.of(Specs.resolve(Specs.minimal()));
    assertThat(sizes.topicBytes()).isEqualTo(1_048_588);
    assertThat(sizes.eventBytes()).isEqualTo(1_000_000);
    assertThat(sizes.lineBytes()).isEqualTo(155_744);
    assertThat(sizes.fetchPartitionBytes()).isEqualTo(1_048_588);
    assertThat(sizes.fetchBytes()).isEqualTo(52_428_800);
    // decoded JSON lines are in the event twice
    assertThat(MessageSizes.of(Specs.resolve(spec -> spec.getSources().setJson(true))).lineBytes())
        .isEqualTo(77_872);
  }

  /** The chain holds for every accepted max.message.bytes, with and without JSON decoding. */
  @Test
  void everyLimitFitsTheNextOneWhateverTheTopicAllows() {
    qt().withExamples(2000).forAll(booleans().all(), integers().between(0, Integer.MAX_VALUE))
        .checkAssert((json, n) -> {
          int topicBytes = MessageSizes.minTopicBytes(json)
              + (int) ((long) n * (Integer.MAX_VALUE - MessageSizes.minTopicBytes(json)) / Integer.MAX_VALUE);
          MessageSizes s = MessageSizes.of(topicBytes, json);
          long worstEvent = (long) s.lineBytes() * MessageSizes.JSON_ESCAPE_FACTOR * (json ? 2 : 1)
              + MessageSizes.EVENT_OVERHEAD;
          assertThat(worstEvent).as("a truncated line, escaped, with its metadata").isLessThanOrEqualTo(s.eventBytes());
          assertThat((long) s.eventBytes() + MessageSizes.BATCH_HEADROOM).isLessThanOrEqualTo(s.topicBytes());
          assertThat(s.fetchPartitionBytes()).isGreaterThanOrEqualTo(s.topicBytes());
          assertThat(s.fetchBytes()).isGreaterThanOrEqualTo(s.fetchPartitionBytes());
          // Filebeat skips, whole, a raw line longer than 4 x message_max_bytes
          assertThat(4L * s.lineBytes()).isGreaterThan(LONGEST_RAW_LINE);
        });
  }

  @ParameterizedTest
  @CsvSource({"false, 1048588", "true, 1048588", "false, 4194304", "true, 524288", "false, 310732"})
  void theRenderedConfigurationsUseTheSameLimits(boolean json, int topicBytes) {
    Pipeline p = Specs.resolve(spec -> {
      spec.getSources().setJson(json);
      spec.getKafka().getTopic().getConfig().put("max.message.bytes", String.valueOf(topicBytes));
      MultilineSpec multiline = new MultilineSpec();
      multiline.setPattern("^\\s");
      spec.getSources().setMultiline(multiline);
    });
    MessageSizes sizes = MessageSizes.of(p);
    JsonNode filebeat = Specs.filebeatYaml(p);
    JsonNode input = filebeat.get("filebeat.inputs").get(0);
    assertThat(input.get("message_max_bytes").asInt()).isEqualTo(sizes.lineBytes());
    // the byte limit binds before the line count: every line adds at least its separator
    assertThat(input.get("parsers").get(1).get("multiline").get("max_lines").asInt())
        .isGreaterThanOrEqualTo(sizes.lineBytes());
    assertThat(filebeat.get("output.kafka").get("max_message_bytes").asInt()).isEqualTo(sizes.eventBytes());
    assertThat(BufferModel.topicConfig(p)).containsEntry("max.message.bytes", String.valueOf(topicBytes));
    var kafka = LogstashConfig.parse(IndexerModel.pipelineConfig(p)).plugin("input", "kafka");
    assertThat((Long) kafka.get("max_partition_fetch_bytes")).isGreaterThanOrEqualTo(topicBytes);
    assertThat((Long) kafka.get("fetch_max_bytes")).isGreaterThanOrEqualTo(topicBytes);
  }

  @Test
  void aTopicLimitTooSmallForA32KiBLineIsRefusedWithTheMinimum() {
    List<SpecProblem> plain = Specs.problems(spec ->
        spec.getKafka().getTopic().getConfig().put("max.message.bytes", "100000"));
    assertThat(plain).singleElement().satisfies(problem -> {
      assertThat(problem.field()).isEqualTo("spec.kafka.topic.config.max.message.bytes");
      assertThat(problem.message()).contains("at least " + MessageSizes.minTopicBytes(false));
    });
    List<SpecProblem> json = Specs.problems(spec -> {
      spec.getSources().setJson(true);
      spec.getKafka().getTopic().getConfig().put("max.message.bytes", "400000");
    });
    assertThat(json).singleElement().satisfies(problem ->
        assertThat(problem.message()).contains("at least " + MessageSizes.minTopicBytes(true))
            .contains("spec.sources.json"));
    assertThat(Specs.problems(spec -> spec.getKafka().getTopic().getConfig().put("max.message.bytes", "1MB")))
        .singleElement().satisfies(problem -> assertThat(problem.message()).contains("'1MB' is not a size"));
  }
}
