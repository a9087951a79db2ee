package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.Pipeline;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the reconciler hands its dependents: one pipeline, the clients, fresh Kafka observations
 * per reconcile, and the search connection read once per reconcile (a failed read is not kept).
 */
class PipelineContextTest {

  final Pipeline p = StubbedContext.valid(TestLogPipelines.minimal("app", "logging", "https://es:9200"));
  final SearchClients search = InMemorySearch.clients();
  final KafkaClients kafka = new KafkaClients(c -> null);

  @Test
  void theDependentsGetWhatTheReconcilerPut() {
    StubbedContext ctx = new StubbedContext(null);
    PipelineContext.put(ctx.context, p, search, kafka);
    assertThat(PipelineContext.pipeline(ctx.context)).isSameAs(p);
    assertThat(PipelineContext.searchClients(ctx.context)).isSameAs(search);
    assertThat(PipelineContext.kafkaClients(ctx.context)).isSameAs(kafka);
    KafkaObservations first = PipelineContext.kafka(ctx.context);
    assertThat(first).isNotNull();
    PipelineContext.put(ctx.context, p, search, kafka);
    assertThat(PipelineContext.kafka(ctx.context)).as("fresh for each reconcile").isNotSameAs(first);
  }

  @Test
  void nothingPutIsAnError() {
    StubbedContext ctx = new StubbedContext(null);
    assertThatThrownBy(() -> PipelineContext.pipeline(ctx.context)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theSearchConnectionIsReadOncePerReconcile() {
    StubbedContext ctx = new StubbedContext(null);
    PipelineContext.put(ctx.context, p, search, kafka);
    AtomicInteger reads = new AtomicInteger();
    SearchConnection c = SearchConnection.plain(URI.create("https://es:9200"));
    assertThat(PipelineContext.searchConnection(ctx.context, () -> {
      reads.incrementAndGet();
      return c;
    })).isSameAs(c);
    assertThat(PipelineContext.searchConnection(ctx.context, () -> {
      reads.incrementAndGet();
      return c;
    })).isSameAs(c);
    assertThat(reads).hasValue(1);

    PipelineContext.put(ctx.context, p, search, kafka);
    PipelineContext.searchConnection(ctx.context, () -> {
      reads.incrementAndGet();
      return c;
    });
    assertThat(reads).as("read again at the next reconcile").hasValue(2);
  }

  @Test
  void aFailedReadIsNotKept() {
    StubbedContext ctx = new StubbedContext(null);
    PipelineContext.put(ctx.context, p, search, kafka);
    assertThatThrownBy(() -> PipelineContext.searchConnection(ctx.context, () -> {
      throw new StageException("SecretNotFound", "no Secret");
    })).isInstanceOf(StageException.class);
    SearchConnection c = SearchConnection.plain(URI.create("https://es:9200"));
    assertThat(PipelineContext.searchConnection(ctx.context, () -> c)).isSameAs(c);
  }

  @Test
  void outsideAReconcileEachCallReads() {
    StubbedContext ctx = new StubbedContext(null);
    AtomicInteger reads = new AtomicInteger();
    SearchConnection c = SearchConnection.plain(URI.create("https://es:9200"));
    PipelineContext.searchConnection(ctx.context, () -> {
      reads.incrementAndGet();
      return c;
    });
    PipelineContext.searchConnection(ctx.context, () -> {
      reads.incrementAndGet();
      return c;
    });
    assertThat(reads).hasValue(2);
  }
}
