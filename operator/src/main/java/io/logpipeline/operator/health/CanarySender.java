package io.logpipeline.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.logpipeline.operator.kafka.AdminClientKafkaAdmin;
import io.logpipeline.operator.kafka.KafkaConnection;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Produces the canary events: one Kafka producer per Kafka cluster, closed when no pipeline on it
 * is observed any more. A canary is marked by the record header {@value #HEADER} (its value the
 * pipeline's uid): a log line cannot set a header, so no line the shipper sends can pose as one.
 */
public class CanarySender implements AutoCloseable {

  /** The record header that marks a canary; the generated Logstash pipeline routes on it. */
  public static final String HEADER = io.logpipeline.operator.model.CanaryModel.HEADER;
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);
  private static final Logger log = LoggerFactory.getLogger(CanarySender.class);

  private final Function<KafkaConnection, Producer<byte[], byte[]>> factory;
  private final Map<KafkaConnection, Producer<byte[], byte[]>> producers = new HashMap<>();
  private final Map<KafkaConnection, Set<ResourceID>> users = new HashMap<>();

  public CanarySender() {
    this(CanarySender::producer);
  }

  CanarySender(Function<KafkaConnection, Producer<byte[], byte[]>> factory) {
    this.factory = factory;
  }

  /** No canaries: for operators that run without a Kafka cluster to send to (tests). */
  public static CanarySender none() {
    return new CanarySender(c -> null) {
      @Override
      Set<ResourceID> send(List<FlowTarget> targets, Instant now) {
        return Set.of();
      }
    };
  }

  /**
   * Sends the canaries of these pipelines, stamped with {@code now}, all at once (the producer
   * batches them), and waits for the brokers' acknowledgements.
   *
   * @return the pipelines whose canary the topic has
   */
  Set<ResourceID> send(List<FlowTarget> targets, Instant now) {
    Map<ResourceID, Future<RecordMetadata>> sent = new HashMap<>();
    for (FlowTarget target : targets) {
      try {
        Producer<byte[], byte[]> producer;
        synchronized (this) {
          users.computeIfAbsent(target.canaryKafka(), c -> new HashSet<>()).add(target.id());
          producer = producers.computeIfAbsent(target.canaryKafka(), factory);
        }
        byte[] value = ("{\"" + FlowObserver.CANARY_SENT + "\":" + now.toEpochMilli()
            + ",\"message\":\"logpipeline-operator canary\"}").getBytes(StandardCharsets.UTF_8);
        List<Header> headers = List.of(new RecordHeader(HEADER, target.uid().getBytes(StandardCharsets.UTF_8)));
        sent.put(target.id(), producer.send(new ProducerRecord<byte[], byte[]>(target.topic(), null, null, value,
            headers)));
      } catch (RuntimeException e) {
        // Kafka's client refuses an address it cannot resolve at once.
        log.debug("cannot send the canary of {}: {}", target.id(), e.getMessage());
      }
    }
    Set<ResourceID> acknowledged = new HashSet<>();
    long deadline = System.nanoTime() + SEND_TIMEOUT.toNanos();
    for (var e : sent.entrySet()) {
      try {
        e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        acknowledged.add(e.getKey());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException | TimeoutException failed) {
        log.debug("the canary of {} was not acknowledged: {}", e.getKey(), failed.getMessage());
      }
    }
    return acknowledged;
  }

  /** The pipeline sends no more canaries; its cluster's producer closes when no one else does. */
  synchronized void release(ResourceID id) {
    for (var it = users.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().remove(id) && e.getValue().isEmpty()) {
        it.remove();
        Producer<byte[], byte[]> producer = producers.remove(e.getKey());
        if (producer != null) {
          producer.close(Duration.ofSeconds(5));
        }
      }
    }
  }

  @Override
  public synchronized void close() {
    producers.values().forEach(p -> p.close(Duration.ofSeconds(5)));
    producers.clear();
    users.clear();
  }

  private static Producer<byte[], byte[]> producer(KafkaConnection connection) {
    Properties props = AdminClientKafkaAdmin.properties(connection, SEND_TIMEOUT);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "logpipeline-operator-canary");
    // As the shipper writes: acknowledged by every in-sync replica.
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
    // Kafka refuses a delivery timeout below linger.ms + request.timeout.ms.
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() / 2);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
    // The canaries of a poll are sent together: a few milliseconds let the producer put those of
    // many topics into one request per broker instead of one each.
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    // Keep the topics' metadata between polls: Kafka's default (5 min) forgets a topic written
    // every 5 minutes, the default canary interval, and every canary would fetch it again.
    props.put(ProducerConfig.METADATA_MAX_IDLE_CONFIG, (int) Duration.ofDays(1).toMillis());
    props.remove("default.api.timeout.ms");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
