package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeadLettersSpec;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.IndexerSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemoryTemplates;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchException;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.Pipeline;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The dead-letter index's template: written when dead letters are indexed, kept current by its
 * hash, refused when another pipeline owns it, removed only under an explicit Delete.
 */
@EnableKubernetesMockClient(crud = true)
class DeadLetterTemplateDependentTest {

  static KubernetesClient client;

  final InMemoryTemplates cluster = new InMemoryTemplates();
  final IndexSetupTest.Failing failing = new IndexSetupTest.Failing(cluster);
  final SearchClients clients = new SearchClients(c -> failing);
  final DeadLetterTemplateDependent dependent = new DeadLetterTemplateDependent();

  static LogPipeline lp(Consumer<LogPipeline> edit) {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    edit.accept(lp);
    return lp;
  }

  StubbedContext context(LogPipeline lp) {
    return new StubbedContext(client).forDependents(Pipeline.forCleanup(lp), clients, new KafkaClients(c -> null));
  }

  static final Consumer<LogPipeline> NO_DEAD_LETTERS = lp -> {
    IndexerSpec indexer = lp.getSpec().getIndexer() == null ? new IndexerSpec() : lp.getSpec().getIndexer();
    DeadLettersSpec deadLetters = new DeadLettersSpec();
    deadLetters.setEnabled(false);
    indexer.setDeadLetters(deadLetters);
    lp.getSpec().setIndexer(indexer);
  };

  @Test
  void theTemplateIsWrittenOnceAndPutBackWhenChanged() {
    LogPipeline lp = lp(x -> {});
    Pipeline p = StubbedContext.valid(lp);
    String name = p.deadLetterTemplateName();

    ReconcileResult<IndexTemplateDependent.State> created = dependent.reconcile(lp, context(lp).context);
    assertThat(created.getSingleOperation()).isEqualTo(ReconcileResult.Operation.CREATED);
    ObjectNode stored = cluster.templates.get(name);
    assertThat(stored).isEqualTo(IndexTemplateModel.deadLetterBody(p));
    assertThat(created.getSingleResource().orElseThrow())
        .isEqualTo(new IndexTemplateDependent.State(name, IndexTemplateModel.storedHash(stored)));

    assertThat(dependent.reconcile(lp, context(lp).context).getSingleOperation()).isEqualTo(ReconcileResult.Operation.NONE);

    ((ObjectNode) stored.path("_meta")).put(IndexTemplateModel.HASH_KEY, "by hand");
    cluster.templates.put(name, stored);
    assertThat(dependent.reconcile(lp, context(lp).context).getSingleOperation())
        .isEqualTo(ReconcileResult.Operation.UPDATED);
    assertThat(cluster.templates.get(name)).isEqualTo(IndexTemplateModel.deadLetterBody(p));
  }

  @Test
  void withoutDeadLettersNothingIsWritten() {
    LogPipeline lp = lp(NO_DEAD_LETTERS);
    ReconcileResult<IndexTemplateDependent.State> result = dependent.reconcile(lp, context(lp).context);
    assertThat(result.getResourceOperations()).as("nothing done, nothing to show").isEmpty();
    assertThat(result.getSingleResource()).isEmpty();
    assertThat(cluster.templates).isEmpty();
  }

  @Test
  void anotherPipelinesTemplateIsRefused() {
    LogPipeline lp = lp(x -> {});
    String name = StubbedContext.valid(lp).deadLetterTemplateName();
    ObjectNode theirs = new ObjectMapper().createObjectNode();
    theirs.putObject("_meta").put("logpipeline", "payments/app");
    cluster.templates.put(name, theirs);

    StageException e = catchThrowableOfType(StageException.class, () -> dependent.reconcile(lp, context(lp).context));

    assertThat(e.reason()).isEqualTo("Conflict");
    assertThat(e.getMessage()).isEqualTo("index template " + name
        + " belongs to LogPipeline payments/app; choose another spec.indexer.deadLetters.index");
    assertThat(cluster.templates.get(name)).isEqualTo(theirs);
  }

  @Test
  void aTemplateWithoutOwnerIsTakenOver() {
    LogPipeline lp = lp(x -> {});
    String name = StubbedContext.valid(lp).deadLetterTemplateName();
    cluster.templates.put(name, new ObjectMapper().createObjectNode());
    assertThat(dependent.reconcile(lp, context(lp).context).getSingleOperation())
        .isEqualTo(ReconcileResult.Operation.UPDATED);
  }

  @Test
  void aFailingClusterIsAStageError() {
    LogPipeline lp = lp(x -> {});
    failing.fail.put("getIndexTemplate", new SearchException(SearchException.Reason.Unauthorized, "401 from es:9200"));
    StageException e = catchThrowableOfType(StageException.class, () -> dependent.reconcile(lp, context(lp).context));
    assertThat(e.reason()).isEqualTo("Unauthorized");
    assertThat(e.getMessage()).isEqualTo("401 from es:9200");
    assertThat(catchThrowableOfType(StageException.class, () -> dependent.delete(lp, context(lp).context)).reason())
        .isEqualTo("Unauthorized");
  }

  @Test
  void deletionTakesOnlyItsOwnTemplateAndOnlyUnderDelete() {
    LogPipeline lp = lp(x -> {});
    String name = StubbedContext.valid(lp).deadLetterTemplateName();
    dependent.reconcile(lp, context(lp).context);

    for (Consumer<LogPipeline> keep : List.<Consumer<LogPipeline>>of(
        x -> x.getSpec().setDeletionPolicy(DeletionPolicy.Retain),
        // a policy that could not be read (another version's value): kept, as the index template is
        x -> x.getSpec().setDeletionPolicy(null),
        x -> x.getMetadata().setAnnotations(Map.of(LogPipeline.SKIP_EXTERNAL_CLEANUP, "true")),
        x -> x.getSpec().getElasticsearch().setHosts(List.of("not a url")))) {
      LogPipeline kept = lp(keep);
      dependent.delete(kept, context(kept).context);
      assertThat(cluster.templates).containsKey(name);
    }

    ObjectNode theirs = new ObjectMapper().createObjectNode();
    theirs.putObject("_meta").put("logpipeline", "payments/app");
    cluster.templates.put(name, theirs);
    dependent.delete(lp, context(lp).context);
    assertThat(cluster.templates).as("another pipeline's").containsKey(name);

    cluster.templates.put(name, new ObjectMapper().createObjectNode());
    dependent.delete(lp, context(lp).context);
    assertThat(cluster.templates).as("no owner").doesNotContainKey(name);

    dependent.reconcile(lp, context(lp).context);
    dependent.delete(lp, context(lp).context);
    assertThat(cluster.templates).doesNotContainKey(name);
    dependent.delete(lp, context(lp).context);
  }

  @Test
  void aTemplateADataStreamUsesStays() {
    LogPipeline lp = lp(x -> {});
    String name = StubbedContext.valid(lp).deadLetterTemplateName();
    dependent.reconcile(lp, context(lp).context);
    failing.fail.put("deleteIndexTemplate", new SearchException(SearchException.Reason.Rejected,
        "index template [" + name + "] in use by a data stream"));
    dependent.delete(lp, context(lp).context);
    assertThat(cluster.templates).containsKey(name);
    failing.fail.put("deleteIndexTemplate", new SearchException(SearchException.Reason.Rejected, "other"));
    assertThat(catchThrowableOfType(StageException.class, () -> dependent.delete(lp, context(lp).context)).reason())
        .isEqualTo("Rejected");
  }
}
