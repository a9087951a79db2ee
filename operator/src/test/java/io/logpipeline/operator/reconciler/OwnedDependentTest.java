package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.Pipeline;
import org.junit.jupiter.api.Test;

/**
 * A child the garbage collector removes with the LogPipeline carries one owner reference: a
 * controller reference that blocks a foreground deletion of its owner, as the built-in
 * controllers write theirs.
 */
class OwnedDependentTest {

  @Test
  void theOwnerReferenceIsAControllerReference() {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.setMetadata(new ObjectMetaBuilder(lp.getMetadata()).withUid("3f1c").build());
    var dependent = new LogstashServiceDependent();
    StubbedContext ctx = new StubbedContext(null).forDependents(StubbedContext.valid(lp), InMemorySearch.clients(),
        new KafkaClients(c -> null));
    Service desired = dependent.desired(lp, ctx.context);

    dependent.addReferenceHandlingMetadata(desired, lp);

    assertThat(desired.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
      assertThat(ref.getApiVersion()).isEqualTo(lp.getApiVersion());
      assertThat(ref.getKind()).isEqualTo("LogPipeline");
      assertThat(ref.getName()).isEqualTo("app");
      assertThat(ref.getUid()).isEqualTo("3f1c");
      assertThat(ref.getController()).isTrue();
      assertThat(ref.getBlockOwnerDeletion()).isTrue();
    });
  }
}
