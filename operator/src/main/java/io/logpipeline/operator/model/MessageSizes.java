package io.logpipeline.operator.model;

import io.logpipeline.operator.api.SourcesSpec;
import io.logpipeline.operator.api.TopicSpec;

import java.util.Map;

/**
 * The size limits from a log line to the search cluster, derived in one place from the topic's
 * {@code max.message.bytes}, so that a long line is truncated and flagged by Filebeat's reader
 * and never dropped further on:
 *
 * <pre>
 * filestream message_max_bytes (lineBytes)
 *   x JSON escaping x copies + event overhead  &lt;=  output.kafka max_message_bytes (eventBytes)
 *   + batch headroom                           &lt;=  topic max.message.bytes (topicBytes)
 *                                              &lt;=  Logstash kafka max_partition_fetch_bytes, fetch_max_bytes
 * </pre>
 *
 * Filebeat drops an event larger than {@code max_message_bytes} (and every event of a batch the
 * broker refuses as too large); the reader instead truncates a line longer than
 * {@code message_max_bytes} and adds {@code log.flags: truncated}.
 *
 * @param topicBytes the topic's max.message.bytes: the largest record batch the broker accepts
 * @param eventBytes Filebeat's max_message_bytes: the largest event, and batch, it sends
 * @param lineBytes filestream's message_max_bytes: where a line (joined partial lines, or a
 *     multiline event) is truncated
 * @param fetchPartitionBytes Logstash's max_partition_fetch_bytes
 * @param fetchBytes Logstash's fetch_max_bytes
 */
public record MessageSizes(int topicBytes, int eventBytes, int lineBytes, int fetchPartitionBytes,
    int fetchBytes) {

  public static final String TOPIC_CONFIG = "max.message.bytes";
  /** Kafka's own default for max.message.bytes, set explicitly so no broker default undercuts it. */
  public static final int DEFAULT_TOPIC_BYTES = 1_048_588;
  /**
   * Room between Filebeat's largest batch and the topic's limit for the record batch header and
   * compression overhead: the gap between Filebeat's own default (1,000,000) and Kafka's.
   */
  static final int BATCH_HEADROOM = DEFAULT_TOPIC_BYTES - 1_000_000;
  /**
   * Room in an event for everything but the message: Kubernetes metadata (pod, namespace and node
   * labels), the file path, offsets, timestamps, agent and ECS fields.
   */
  static final int EVENT_OVERHEAD = 64 * 1024;
  /**
   * Worst-case growth of a message when Filebeat encodes the event as JSON: a control character
   * or an invalid UTF-8 byte becomes a six-byte escape (backslash u and four hex digits).
   */
  static final int JSON_ESCAPE_FACTOR = 6;
  /**
   * The shortest line limit accepted. Filebeat's line reader skips, whole, a raw line longer than
   * four times message_max_bytes; container runtimes split lines at 16 KiB, which Docker's
   * json-file format can escape to about 100 KB. 32 KiB x 4 leaves room for both.
   */
  static final int MIN_LINE_BYTES = 32 * 1024;
  /** The Kafka consumer's defaults, which Logstash's limits never go below. */
  static final int CONSUMER_PARTITION_FETCH_BYTES = 1_048_576;
  static final int CONSUMER_FETCH_BYTES = 52_428_800;

  /** The limits for this pipeline's topic and sources. */
  public static MessageSizes of(Pipeline p) {
    return of(topicBytes(p.spec().getKafka().getTopic()), json(p.spec().getSources()));
  }

  static MessageSizes of(int topicBytes, boolean json) {
    int eventBytes = topicBytes - BATCH_HEADROOM;
    int lineBytes = (eventBytes - EVENT_OVERHEAD) / (JSON_ESCAPE_FACTOR * copies(json));
    return new MessageSizes(topicBytes, eventBytes, lineBytes,
        Math.max(CONSUMER_PARTITION_FETCH_BYTES, topicBytes), Math.max(CONSUMER_FETCH_BYTES, topicBytes));
  }

  /**
   * The smallest max.message.bytes that leaves a line limit of {@link #MIN_LINE_BYTES}; with
   * {@code json} decoding the message is in the event twice (the raw line and its fields).
   */
  static int minTopicBytes(boolean json) {
    return MIN_LINE_BYTES * JSON_ESCAPE_FACTOR * copies(json) + EVENT_OVERHEAD + BATCH_HEADROOM;
  }

  /** The topic's max.message.bytes as configured (validated by SpecRules), or the default. */
  static int topicBytes(TopicSpec topic) {
    Map<String, String> config = topic == null ? null : topic.getConfig();
    String value = config == null ? null : config.get(TOPIC_CONFIG);
    return value == null ? DEFAULT_TOPIC_BYTES : Integer.parseInt(value.trim());
  }

  private static boolean json(SourcesSpec sources) {
    return sources != null && sources.isJson();
  }

  private static int copies(boolean json) {
    return json ? 2 : 1;
  }
}
