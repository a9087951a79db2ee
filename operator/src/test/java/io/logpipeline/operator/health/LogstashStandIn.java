package io.logpipeline.operator.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.elastic.RawHttp;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * TEST FIXTURE, never part of the product: a stand-in for the pipeline's Logstash, doing what the
 * generated Logstash pipeline does as far as the flow observer can see it. It consumes the topic
 * with the pipeline's consumer group (committing after each batch is indexed), routes a record
 * with the canary header to the canary index under the header's id (with @timestamp the time it
 * handled it), indexes other events into the day's index, and sends an event with {@code
 * "reject": true} to the dead-letter index, as the dead-letter pipeline does with what the search
 * cluster rejects.
 */
final class LogstashStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);

  private final String bootstrap;
  private final String topic;
  private final String group;
  private final URI search;
  private final String index;
  private final String deadLetterIndex;
  private final AtomicBoolean running = new AtomicBoolean();
  /** false: canaries are consumed but never indexed, as by a broken canary route. */
  private final AtomicBoolean indexCanaries = new AtomicBoolean(true);
  private Thread thread;

  LogstashStandIn(String bootstrap, String topic, String group, URI search, String index, String deadLetterIndex) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.group = group;
    this.search = search;
    this.index = index;
    this.deadLetterIndex = deadLetterIndex;
  }

  synchronized void start() {
    if (running.getAndSet(true)) {
      return;
    }
    thread = new Thread(this::consume, "logstash-stand-in-" + topic);
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops consuming; the group's offsets stay where they were committed. */
  synchronized void stop() throws InterruptedException {
    running.set(false);
    if (thread != null) {
      thread.join(30_000);
      thread = null;
    }
  }

  void indexCanaries(boolean on) {
    indexCanaries.set(on);
  }

  private void consume() {
    Map<String, Object> props = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (var consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (running.get()) {
        var records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        StringBuilder bulk = new StringBuilder();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          bulk.append(document(r));
        }
        if (!bulk.isEmpty()) {
          var answer = RawHttp.bulk(search, bulk.toString());
          if (answer.status() != 200 || answer.json().path("errors").asBoolean()) {
            throw new IllegalStateException("bulk failed: " + answer.json());
          }
        }
        consumer.commitSync();
      }
    } catch (RuntimeException e) {
      running.set(false);
      throw e;
    }
  }

  /** The bulk lines for one record, or none. */
  private String document(ConsumerRecord<byte[], byte[]> r) {
    try {
      ObjectNode event = (ObjectNode) JSON.readTree(r.value());
      Header canary = r.headers().lastHeader(CanarySender.HEADER);
      if (canary != null) {
        if (!indexCanaries.get()) {
          return "";
        }
        event.put("@timestamp", Instant.now().toString());
        return action(FlowObserver.CANARY_INDEX, new String(canary.value(), StandardCharsets.UTF_8)) + event + "\n";
      }
      if (event.path("reject").asBoolean()) {
        ObjectNode dead = JSON.createObjectNode();
        dead.put("@timestamp", Instant.now().toString());
        dead.putObject("event").put("original", event.toString());
        return action(deadLetterIndex + "_" + DAY.format(Instant.now()), null) + dead + "\n";
      }
      Instant at = Instant.parse(event.path("@timestamp").asText(Instant.now().toString()));
      return action(index + "_" + DAY.format(at), null) + event + "\n";
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String action(String index, String id) {
    ObjectNode meta = JSON.createObjectNode();
    ObjectNode target = meta.putObject("index");
    target.put("_index", index);
    if (id != null) {
      target.put("_id", id);
    }
    return meta + "\n";
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
