package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;

import java.util.ArrayList;
import java.util.List;

/** The smallest valid LogPipeline, which the tests of every package start from and then edit. */
public final class TestLogPipelines {

  private TestLogPipelines() {}

  /** Strimzi's Kafka CRD and a Kafka "my-cluster" in {@code namespace}, as a cluster with Strimzi has them. */
  public static void installStrimziKafka(KubernetesClient client, String namespace) {
    client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("kafkas.kafka.strimzi.io").endMetadata()
        .withNewSpec().withGroup("kafka.strimzi.io").withScope("Namespaced")
            .withNewNames().withKind("Kafka").withPlural("kafkas").endNames()
            .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
        .endSpec().build()).create();
    client.genericKubernetesResources("kafka.strimzi.io/v1", "Kafka").inNamespace(namespace)
        .resource(new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1").withKind("Kafka")
            .withNewMetadata().withName("my-cluster").withNamespace(namespace).endMetadata().build())
        .create();
  }

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
