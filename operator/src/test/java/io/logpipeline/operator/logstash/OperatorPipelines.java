package io.logpipeline.operator.logstash;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.IndexerSpec;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.InvalidSpecException;
import io.logpipeline.operator.model.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pipeline.conf the operator writes for a small valid LogPipeline (payments in logging),
 * built through the api setters and {@link Pipeline#resolve}, as the reconciler builds it.
 */
final class OperatorPipelines {

  private OperatorPipelines() {}

  static String pipelineConfig(Consumer<LogPipelineSpec> edit) {
    LogPipeline lp = new LogPipeline();
    lp.setMetadata(new ObjectMetaBuilder().withName("payments").withNamespace("logging")
        .withUid("0b4f5e6a-1111-2222-3333-444455556666").withGeneration(1L).build());
    LogPipelineSpec spec = new LogPipelineSpec();
    KafkaSpec kafka = new KafkaSpec();
    kafka.setCluster("my-cluster");
    spec.setKafka(kafka);
    ElasticsearchSpec es = new ElasticsearchSpec();
    es.setHosts(new ArrayList<>(List.of("https://es-http.elastic.svc:9200")));
    spec.setElasticsearch(es);
    lp.setSpec(spec);
    edit.accept(spec);
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
