package io.logpipeline.operator.reconciler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.SearchClient;
import io.logpipeline.operator.elastic.SearchException;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;

import java.util.Optional;

/**
 * The dead-letter index's template in Elasticsearch or OpenSearch: mappings under which the
 * documents of the dead-letter pipeline are never rejected. Read, compared by its hash and written
 * as the index template is, owned the same way, removed under {@code deletionPolicy: Delete}; it
 * carries no lifecycle policy. With dead letters turned off there is nothing to write.
 */
public class DeadLetterTemplateDependent extends IndexTemplateDependent {

  @Override
  public ReconcileResult<State> reconcile(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    if (!IndexerModel.indexesDeadLetters(p)) {
      return ReconcileResult.noOperation(null);
    }
    String name = p.deadLetterTemplateName();
    ObjectNode desired = IndexTemplateModel.deadLetterBody(p);
    State state = new State(name, IndexTemplateModel.storedHash(desired));
    SearchClient client = client(p, context);
    try {
      Optional<ObjectNode> stored = client.getIndexTemplate(name);
      if (stored.isPresent()) {
        String owner = stored.get().path("_meta").path("logpipeline").asText(null);
        if (owner != null && !owner.equals(p.namespace() + "/" + p.name())) {
          throw new StageException("Conflict", "index template " + name + " belongs to LogPipeline "
              + owner + "; choose another spec.indexer.deadLetters.index");
        }
        if (state.hash().equals(IndexTemplateModel.storedHash(stored.get()))) {
          return ReconcileResult.noOperation(state);
        }
      }
      client.putIndexTemplate(name, desired);
      return stored.isPresent() ? ReconcileResult.resourceUpdated(state) : ReconcileResult.resourceCreated(state);
    } catch (SearchException e) {
      throw new StageException(e.reason().name(), e.getMessage(), e);
    }
  }

  @Override
  public void delete(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    // Only an explicit Delete, as for the index template: a policy that could not be read keeps it.
    if (p.spec().getDeletionPolicy() != DeletionPolicy.Delete || p.hosts().isEmpty()
        || skipsExternalCleanup(primary)) {
      return;
    }
    SearchClient client = client(p, context);
    try {
      Optional<ObjectNode> stored = client.getIndexTemplate(p.deadLetterTemplateName());
      String owner = stored.map(s -> s.path("_meta").path("logpipeline").asText(null)).orElse(null);
      if (stored.isPresent() && (owner == null || owner.equals(p.namespace() + "/" + p.name()))) {
        client.deleteIndexTemplate(p.deadLetterTemplateName());
      }
    } catch (SearchException e) {
      // A data stream that still uses the template: it stays with the documents, as the index's does.
      if (!e.getMessage().contains("in use by a data stream")) {
        throw new StageException(e.reason().name(), e.getMessage(), e);
      }
    }
  }
}
