package io.logpipeline.operator.reconciler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;

/**
 * The dead-letter index's template in Elasticsearch or OpenSearch: mappings under which the
 * documents of the dead-letter pipeline are never rejected. Written, compared and removed as the
 * main index template is; with dead letters turned off there is nothing to write.
 */
public class DeadLetterTemplateDependent extends IndexTemplateDependent {

  @Override
  protected String templateName(Pipeline p) {
    return p.deadLetterTemplateName();
  }

  @Override
  protected ObjectNode body(Pipeline p) {
    return IndexTemplateModel.deadLetterBody(p);
  }

  @Override
  protected String indexField() {
    return "spec.indexer.deadLetters.index";
  }

  @Override
  public ReconcileResult<State> reconcile(LogPipeline primary, Context<LogPipeline> context) {
    if (!IndexerModel.indexesDeadLetters(PipelineContext.pipeline(context))) {
      return ReconcileResult.noOperation(null);
    }
    return super.reconcile(primary, context);
  }
}
