package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;
import org.junit.jupiter.api.Test;

/** The Service in front of Logstash is the model's, owned by the LogPipeline. */
class LogstashServiceDependentTest {

  @Test
  void theDesiredServiceIsTheModels() {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    Pipeline p = StubbedContext.valid(lp);
    StubbedContext ctx = new StubbedContext(null).forDependents(p, InMemorySearch.clients(), new KafkaClients(c -> null));
    Service desired = new LogstashServiceDependent().desired(lp, ctx.context);
    assertThat(desired).isEqualTo(IndexerModel.service(p));
    assertThat(new LogstashServiceDependent().resourceType()).isEqualTo(Service.class);
  }
}
