package io.logpipeline.operator.logstash;

import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.IndexerSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;
import java.util.function.Consumer;

/**
 * The pipeline.conf the operator writes for a small valid LogPipeline (payments in logging),
 * built through the api setters and {@link Pipeline#resolve}, as the reconciler builds it.
 */
final class OperatorPipelines {

  private OperatorPipelines() {}

  static String pipelineConfig(Consumer<LogPipelineSpec> edit) {
    LogPipeline lp = TestLogPipelines.minimal("payments", "logging", "https://es-http.elastic.svc:9200");
    edit.accept(lp.getSpec());
    try {
      return IndexerModel.pipelineConfig(Pipeline.resolve(lp));
    } catch (InvalidSpecException e) {
      throw new AssertionError("expected a valid spec, got: " + e.getMessage(), e);
    }
  }

  /** The pipeline.conf with {@code filter} as spec.indexer.filter. */
  static String withFilter(String filter) {
    return pipelineConfig(spec -> {
      IndexerSpec indexer = spec.getIndexer() != null ? spec.getIndexer() : new IndexerSpec();
      indexer.setFilter(filter);
      spec.setIndexer(indexer);
    });
  }
}
