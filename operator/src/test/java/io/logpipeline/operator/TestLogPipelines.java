package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;

import java.util.ArrayList;
import java.util.List;

/** The smallest valid LogPipeline, which the tests of every package start from and then edit. */
public final class TestLogPipelines {

  private TestLogPipelines() {}

  /** A Strimzi Kafka "my-cluster" and one search host; everything else defaulted. */
  public static LogPipeline minimal(String name, String namespace, String host) {
    LogPipeline lp = new LogPipeline();
    lp.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    LogPipelineSpec spec = new LogPipelineSpec();
    KafkaSpec kafka = new KafkaSpec();
    kafka.setCluster("my-cluster");
    spec.setKafka(kafka);
    ElasticsearchSpec es = new ElasticsearchSpec();
    es.setHosts(new ArrayList<>(List.of(host)));
    spec.setElasticsearch(es);
    lp.setSpec(spec);
    return lp;
  }
}
