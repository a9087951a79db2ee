package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.KafkaAuthenticationSpec;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.KafkaCredentialsRef;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.TopicSpec;
import io.logpipeline.operator.elastic.InMemorySearch;
import io.logpipeline.operator.kafka.ConsumerLag;
import io.logpipeline.operator.kafka.KafkaAdmin;
import io.logpipeline.operator.kafka.KafkaAdminException;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.kafka.KafkaConnection;
import io.logpipeline.operator.kafka.TopicDescription;
import io.logpipeline.operator.model.BufferModel;
import io.logpipeline.operator.model.Pipeline;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The topic of an external Kafka through a fake admin client: created with the spec's partitions,
 * replicas and configs; only the configs that differ set; partitions grown; what Kafka cannot
 * change reported on the stage; deleted only under an explicit Delete.
 */
@EnableKubernetesMockClient(crud = true)
class ExternalTopicDependentTest {

  static KubernetesClient client;

  final FakeAdmin admin = new FakeAdmin();
  final List<KafkaConnection> connections = new CopyOnWriteArrayList<>();
  final KafkaClients kafkaClients = new KafkaClients(c -> {
    connections.add(c);
    return admin;
  });
  final ExternalTopicDependent dependent = new ExternalTopicDependent();

  static LogPipeline lp(Consumer<LogPipeline> edit) {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.setMetadata(new ObjectMetaBuilder(lp.getMetadata()).withUid("uid-1").build());
    lp.getSpec().getKafka().setCluster(null);
    lp.getSpec().getKafka().setBootstrapServers("b-1.msk.example:9092");
    TopicSpec topic = new TopicSpec();
    topic.setPartitions(6);
    topic.setReplicas(3);
    lp.getSpec().getKafka().setTopic(topic);
    edit.accept(lp);
    return lp;
  }

  StubbedContext context(LogPipeline lp) {
    return new StubbedContext(client).forDependents(Pipeline.forCleanup(lp), InMemorySearch.clients(), kafkaClients);
  }

  static Map<String, String> desiredConfigs(LogPipeline lp) {
    Map<String, String> configs = new LinkedHashMap<>();
    BufferModel.topicConfig(StubbedContext.valid(lp)).forEach((k, v) -> configs.put(k, String.valueOf(v)));
    return configs;
  }

  @Test
  void aMissingTopicIsCreatedAsTheSpecSays() {
    LogPipeline lp = lp(x -> {});
    StubbedContext ctx = context(lp);

    ReconcileResult<TopicDescription> result = dependent.reconcile(lp, ctx.context);

    TopicDescription expected = new TopicDescription("logs.logging.app", 6, 3, desiredConfigs(lp));
    assertThat(admin.calls).containsExactly("create logs.logging.app 6 3 " + desiredConfigs(lp));
    assertThat(result.getSingleOperation()).isEqualTo(ReconcileResult.Operation.CREATED);
    assertThat(result.getSingleResource()).contains(expected);
    assertThat(PipelineContext.kafka(ctx.context).externalTopic()).contains(expected);
    assertThat(connections).singleElement().satisfies(c -> assertThat(c.bootstrapServers()).isEqualTo("b-1.msk.example:9092"));
  }

  @Test
  void aCurrentTopicIsLeftAlone() {
    LogPipeline lp = lp(x -> {});
    Map<String, String> configs = new LinkedHashMap<>(desiredConfigs(lp));
    configs.put("segment.bytes", "1048576");
    admin.topic = new TopicDescription("logs.logging.app", 6, 3, configs);
    StubbedContext ctx = context(lp);

    ReconcileResult<TopicDescription> result = dependent.reconcile(lp, ctx.context);

    assertThat(admin.calls).isEmpty();
    assertThat(result.getSingleOperation()).isEqualTo(ReconcileResult.Operation.NONE);
    assertThat(result.getSingleResource()).contains(admin.topic);
    assertThat(PipelineContext.kafka(ctx.context).externalTopic()).contains(admin.topic);
  }

  @Test
  void onlyTheConfigsThatDifferAreSetAndPartitionsGrow() {
    LogPipeline lp = lp(x -> {});
    Map<String, String> configs = new LinkedHashMap<>(desiredConfigs(lp));
    configs.put("retention.ms", "1");
    configs.put("segment.bytes", "1048576");
    admin.topic = new TopicDescription("logs.logging.app", 4, 3, configs);
    StubbedContext ctx = context(lp);

    ReconcileResult<TopicDescription> result = dependent.reconcile(lp, ctx.context);

    String retention = desiredConfigs(lp).get("retention.ms");
    assertThat(admin.calls).containsExactly("configs logs.logging.app {retention.ms=" + retention + "}",
        "partitions logs.logging.app 6");
    assertThat(result.getSingleOperation()).isEqualTo(ReconcileResult.Operation.UPDATED);
    TopicDescription now = result.getSingleResource().orElseThrow();
    assertThat(now.partitions()).isEqualTo(6);
    assertThat(now.configs()).containsEntry("retention.ms", retention).containsEntry("segment.bytes", "1048576");
    assertThat(PipelineContext.kafka(ctx.context).externalTopic()).contains(now);
  }

  @Test
  void onlyPartitionsGrowing() {
    LogPipeline lp = lp(x -> {});
    admin.topic = new TopicDescription("logs.logging.app", 5, 3, desiredConfigs(lp));
    assertThat(dependent.reconcile(lp, context(lp).context).getSingleOperation())
        .isEqualTo(ReconcileResult.Operation.UPDATED);
    assertThat(admin.calls).containsExactly("partitions logs.logging.app 6");
  }

  @Test
  void fewerPartitionsCannotBeHad() {
    LogPipeline lp = lp(x -> {});
    admin.topic = new TopicDescription("logs.logging.app", 8, 3, desiredConfigs(lp));
    StubbedContext ctx = context(lp);

    StageException e = catchThrowableOfType(StageException.class, () -> dependent.reconcile(lp, ctx.context));

    assertThat(e.reason()).isEqualTo("PartitionsCannotShrink");
    assertThat(e.getMessage()).isEqualTo("topic logs.logging.app has 8 partitions and spec.kafka.topic.partitions"
        + " asks for 6: Kafka cannot remove partitions; set it to 8 or more");
    assertThat(admin.calls).isEmpty();
    // What the topic is goes to the status all the same.
    assertThat(PipelineContext.kafka(ctx.context).externalTopic().orElseThrow().partitions()).isEqualTo(8);
  }

  @Test
  void anotherReplicationFactorIsReportedNotFought() {
    LogPipeline lp = lp(x -> {});
    admin.topic = new TopicDescription("logs.logging.app", 6, 2, desiredConfigs(lp));
    StageException e = catchThrowableOfType(StageException.class, () -> dependent.reconcile(lp, context(lp).context));
    assertThat(e.reason()).isEqualTo("ReplicationFactorDiffers");
    assertThat(e.getMessage()).isEqualTo("topic logs.logging.app has replication factor 2 and spec.kafka.topic.replicas"
        + " asks for 3: the operator does not move replicas; set it to 2, or reassign the partitions with"
        + " kafka-reassign-partitions");
  }

  @Test
  void aKafkaErrorIsTheStagesReason() {
    LogPipeline lp = lp(x -> {});
    admin.failure = new KafkaAdminException(KafkaAdminException.Reason.TopicAuthorizationFailed, "denied", null);
    StageException e = catchThrowableOfType(StageException.class, () -> dependent.reconcile(lp, context(lp).context));
    assertThat(e.reason()).isEqualTo("TopicAuthorizationFailed");
    assertThat(e.getMessage()).isEqualTo("denied");
    StageException onDelete = catchThrowableOfType(StageException.class, () -> dependent.delete(lp, context(lp).context));
    assertThat(onDelete.reason()).isEqualTo("TopicAuthorizationFailed");
    assertThat(kafkaClients.open()).as("released even so").isZero();
  }

  @Test
  void aStrimziTopicIsNotThisDependents() {
    LogPipeline lp = lp(x -> x.getSpec().getKafka().setCluster("my-cluster"));
    ReconcileResult<TopicDescription> result = dependent.reconcile(lp, context(lp).context);
    assertThat(result.getResourceOperations()).isEmpty();
    assertThat(result.getSingleResource()).isEmpty();
    dependent.delete(lp, context(lp).context);
    assertThat(admin.calls).isEmpty();
    assertThat(connections).isEmpty();
  }

  @Test
  void deletionTakesTheTopicOnlyUnderAnExplicitDelete() {
    for (Consumer<LogPipeline> keep : List.<Consumer<LogPipeline>>of(
        x -> x.getSpec().setDeletionPolicy(DeletionPolicy.Retain),
        x -> x.getSpec().setDeletionPolicy(null),
        x -> x.getMetadata().setAnnotations(Map.of(LogPipeline.SKIP_EXTERNAL_CLEANUP, "true")))) {
      LogPipeline kept = lp(keep);
      dependent.delete(kept, context(kept).context);
    }
    assertThat(admin.calls).isEmpty();

    LogPipeline lp = lp(x -> {});
    dependent.reconcile(lp, context(lp).context);
    assertThat(kafkaClients.open()).isOne();
    dependent.delete(lp, context(lp).context);
    assertThat(admin.calls).endsWith("delete logs.logging.app");
    assertThat(kafkaClients.open()).as("the admin client is let go").isZero();
    assertThat(admin.closed).isTrue();
  }

  @Test
  void withoutItsCredentialsTheTopicIsLeft() {
    LogPipeline lp = lp(x -> {
      KafkaAuthenticationSpec auth = new KafkaAuthenticationSpec();
      auth.setType(KafkaAuthenticationType.SCRAM_SHA_512);
      KafkaCredentialsRef ref = new KafkaCredentialsRef();
      ref.setName("kafka-admin");
      auth.setShipperSecret(ref);
      auth.setIndexerSecret(ref);
      x.getSpec().getKafka().setAuthentication(auth);
      x.getSpec().getKafka().setAdminSecret(ref);
    });
    dependent.delete(lp, context(lp).context);
    assertThat(admin.calls).isEmpty();
    StageException e = catchThrowableOfType(StageException.class, () -> dependent.reconcile(lp, context(lp).context));
    assertThat(e.reason()).isEqualTo("SecretNotFound");
  }

  @Test
  void withoutBootstrapServersThereIsNothingToDelete() {
    LogPipeline lp = lp(x -> x.getSpec().getKafka().setBootstrapServers(" "));
    dependent.delete(lp, context(lp).context);
    assertThat(admin.calls).isEmpty();
    assertThat(dependent.resourceType()).isEqualTo(TopicDescription.class);
  }

  /** One topic at most; records the writes. */
  static final class FakeAdmin implements KafkaAdmin {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile TopicDescription topic;
    volatile KafkaAdminException failure;
    volatile boolean closed;

    private void check() throws KafkaAdminException {
      if (failure != null) {
        throw failure;
      }
    }

    @Override
    public Optional<TopicDescription> describeTopic(String name) throws KafkaAdminException {
      check();
      return Optional.ofNullable(topic).filter(t -> t.name().equals(name));
    }

    @Override
    public void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs)
        throws KafkaAdminException {
      check();
      calls.add("create " + name + " " + partitions + " " + replicationFactor + " " + configs);
    }

    @Override
    public void setTopicConfigs(String name, Map<String, String> configs) throws KafkaAdminException {
      check();
      calls.add("configs " + name + " " + configs);
    }

    @Override
    public void createPartitions(String name, int partitions) throws KafkaAdminException {
      check();
      calls.add("partitions " + name + " " + partitions);
    }

    @Override
    public boolean deleteTopic(String name) throws KafkaAdminException {
      check();
      calls.add("delete " + name);
      return true;
    }

    @Override
    public Map<ConsumerLag.Query, ConsumerLag> consumerLag(Collection<ConsumerLag.Query> queries) {
      return Map.of();
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
