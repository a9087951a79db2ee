package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.logpipeline.operator.api.ElasticsearchSpec;
import io.logpipeline.operator.api.KafkaSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.strimzi.api.kafka.Crds;
import io.strimzi.api.kafka.model.topic.KafkaTopic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The smallest valid LogPipeline, which the tests of every package start from and then edit. */
public final class TestLogPipelines {

  private TestLogPipelines() {}

  /**
   * Strimzi's CRDs (Kafka, KafkaTopic, KafkaUser, each with its status subresource) and a Kafka
   * "my-cluster" in {@code namespace}, as a cluster with Strimzi has them.
   */
  public static void installStrimziKafka(KubernetesClient client, String namespace) {
    for (var crd : List.of(Crds.kafka(), Crds.kafkaTopic(), Crds.kafkaUser())) {
      if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      }
    }
    client.genericKubernetesResources("kafka.strimzi.io/v1", "Kafka").inNamespace(namespace)
        .resource(new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1").withKind("Kafka")
            .withNewMetadata().withName("my-cluster").withNamespace(namespace).endMetadata().build())
        .create();
  }

  /** Strimzi's KafkaNodePool CRD, as a cluster with Strimzi 0.49 has it. */
  public static void installStrimziNodePools(KubernetesClient client) {
    var crd = Crds.kafkaNodePool();
    if (client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).get() == null) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  /** A KafkaNodePool of Strimzi Kafka {@code cluster} with {@code replicas} nodes in these roles. */
  public static void nodePool(KubernetesClient client, String namespace, String name, String cluster,
      int replicas, String... roles) {
    client.genericKubernetesResources("kafka.strimzi.io/v1", "KafkaNodePool").inNamespace(namespace)
        .resource(new GenericKubernetesResourceBuilder().withApiVersion("kafka.strimzi.io/v1")
            .withKind("KafkaNodePool")
            .withNewMetadata().withName(name).withNamespace(namespace)
                .addToLabels("strimzi.io/cluster", cluster).endMetadata()
            .addToAdditionalProperties("spec", Map.of("replicas", replicas, "roles", List.of(roles)))
            .build())
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

  /** Every object a pipeline provisions in Kubernetes, as the server has it now (null: missing). */
  public static Map<String, HasMetadata> children(KubernetesClient client, String namespace, String name,
      String kafkaNamespace) {
    String topic = "logs." + namespace + "." + name;
    String clusterName = "logpipeline:" + namespace + ":" + name + ":filebeat";
    Map<String, HasMetadata> found = new LinkedHashMap<>();
    found.put("filebeat-config", client.configMaps().inNamespace(namespace).withName(name + "-filebeat").get());
    found.put("filebeat-sa", client.serviceAccounts().inNamespace(namespace).withName(name + "-filebeat").get());
    found.put("filebeat-clusterrole", client.rbac().clusterRoles().withName(clusterName).get());
    found.put("filebeat-clusterrolebinding", client.rbac().clusterRoleBindings().withName(clusterName).get());
    found.put("filebeat", client.apps().daemonSets().inNamespace(namespace).withName(name + "-filebeat").get());
    found.put("kafka-topic", client.resources(KafkaTopic.class).inNamespace(kafkaNamespace).withName(topic).get());
    found.put("logstash-config", client.configMaps().inNamespace(namespace).withName(name + "-logstash").get());
    found.put("logstash", client.apps().statefulSets().inNamespace(namespace).withName(name + "-logstash").get());
    found.put("logstash-service", client.services().inNamespace(namespace).withName(name + "-logstash").get());
    found.put("logstash-pdb", client.policy().v1().podDisruptionBudget().inNamespace(namespace)
        .withName(name + "-logstash").get());
    return found;
  }

  /** The status condition of this type; fails when there is none. */
  public static Condition condition(LogPipeline lp, String type) {
    if (lp == null || lp.getStatus() == null || lp.getStatus().getConditions() == null) {
      // An AssertionError, so that a wait for the condition goes on waiting.
      throw new AssertionError("no status yet, so no condition " + type);
    }
    return lp.getStatus().getConditions().stream().filter(c -> c.getType().equals(type))
        .findFirst().orElseThrow(() -> new AssertionError("no condition " + type));
  }

  /**
   * Changes a LogPipeline as a user's kubectl edit would: read, change, write; when the operator
   * wrote the object meanwhile (409), read it again and reapply the change, as kubectl does.
   */
  public static LogPipeline edit(KubernetesClient client, String namespace, String name,
      java.util.function.Consumer<LogPipeline> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(LogPipeline.class).inNamespace(namespace).withName(name).edit(lp -> {
          change.accept(lp);
          return lp;
        });
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }
}
