package io.logpipeline.operator.reconciler;

import static io.logpipeline.operator.reconciler.KafkaCredentialSourcesTest.external;
import static io.logpipeline.operator.reconciler.KafkaCredentialSourcesTest.strimzi;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The copy of a client's Kafka credentials in the pipeline's namespace: written only when it differs. */
@EnableKubernetesMockClient(crud = true)
class KafkaCredentialsDependentTest {

  static KubernetesClient client;

  final KafkaCredentialsDependent shipper = new ShipperKafkaCredentialsDependent();
  KafkaObservations observed;

  @AfterEach
  void clean() {
    client.secrets().inAnyNamespace().delete();
  }

  ReconcileResult<Secret> reconcile(KafkaCredentialsDependent dependent, LogPipeline lp) {
    Context<LogPipeline> context = ReconcilerFixtures.context(client);
    observed = new KafkaObservations();
    ReconcilerFixtures.workflow(context).put(Pipeline.class, ReconcilerFixtures.pipeline(lp));
    ReconcilerFixtures.workflow(context).put(KafkaObservations.class, observed);
    return dependent.reconcile(lp, context);
  }

  static LogPipeline scram() {
    return ReconcilerFixtures.logPipeline(external(false, KafkaAuthenticationType.SCRAM_SHA_512));
  }

  static LogPipeline plain() {
    return ReconcilerFixtures.logPipeline(strimzi(false, KafkaAuthenticationType.NONE));
  }

  static void source(String name, String password) {
    client.secrets().inNamespace("team-a").resource(new SecretBuilder().withNewMetadata().withName(name)
        .endMetadata().withStringData(Map.of("username", "fb", "password", password)).build()).createOr(r -> r.update());
  }

  static Secret copy(String name) {
    return client.secrets().inNamespace("team-a").withName(name).get();
  }

  static String decoded(Secret s, String key) {
    return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
  }

  static Secret ownedBy(String name, String uid) {
    return client.secrets().inNamespace("team-a").resource(new SecretBuilder().withNewMetadata().withName(name)
        .addNewOwnerReference().withApiVersion("logpipeline.io/v1alpha1").withKind("LogPipeline").withName("app")
        .withUid(uid).endOwnerReference().endMetadata().withData(Map.of()).build()).create();
  }

  @Test
  void theCopyIsCreatedOwnedByThePipelineAndItsVersionGoesToThePods() {
    source("kafka-shipper", "pw-1");
    LogPipeline lp = scram();

    ReconcileResult<Secret> result = reconcile(shipper, lp);

    Secret copy = copy("app-kafka-shipper");
    assertThat(result.getSingleOperation()).isEqualTo(ReconcileResult.Operation.CREATED);
    assertThat(decoded(copy, "username")).isEqualTo("fb");
    assertThat(decoded(copy, "password")).isEqualTo("pw-1");
    OwnerReference owner = copy.getMetadata().getOwnerReferences().get(0);
    assertThat(owner.getUid()).isEqualTo("uid-app");
    assertThat(owner.getName()).isEqualTo("app");
    assertThat(owner.getKind()).isEqualTo("LogPipeline");
    assertThat(owner.getController()).isTrue();
    assertThat(owner.getBlockOwnerDeletion()).isFalse();
    assertThat(observed.secretVersion(Role.SHIPPER)).isEqualTo(copy.getMetadata().getResourceVersion()).isNotNull();
    assertThat(observed.waiting()).isEmpty();
  }

  @Test
  void anUnchangedCopyIsNotWrittenAndARotatedPasswordIs() {
    source("kafka-shipper", "pw-1");
    LogPipeline lp = scram();
    reconcile(shipper, lp);
    String first = copy("app-kafka-shipper").getMetadata().getResourceVersion();

    ReconcileResult<Secret> same = reconcile(shipper, lp);
    assertThat(same.getSingleOperation()).isEqualTo(ReconcileResult.Operation.NONE);
    assertThat(copy("app-kafka-shipper").getMetadata().getResourceVersion()).isEqualTo(first);
    assertThat(observed.secretVersion(Role.SHIPPER)).isEqualTo(first);

    source("kafka-shipper", "pw-2");
    ReconcileResult<Secret> rotated = reconcile(shipper, lp);
    Secret copy = copy("app-kafka-shipper");
    assertThat(rotated.getSingleOperation()).isEqualTo(ReconcileResult.Operation.UPDATED);
    assertThat(decoded(copy, "password")).isEqualTo("pw-2");
    assertThat(copy.getMetadata().getResourceVersion()).isNotEqualTo(first);
    assertThat(observed.secretVersion(Role.SHIPPER)).isEqualTo(copy.getMetadata().getResourceVersion());
  }

  @Test
  void aCopyWithoutItsLabelsOrOfAnotherTypeIsRewritten() {
    source("kafka-shipper", "pw-1");
    LogPipeline lp = scram();
    reconcile(shipper, lp);
    Secret unlabelled = copy("app-kafka-shipper");
    unlabelled.getMetadata().setLabels(null);
    client.secrets().inNamespace("team-a").resource(unlabelled).update();
    assertThat(reconcile(shipper, lp).getSingleOperation()).isEqualTo(ReconcileResult.Operation.UPDATED);
    assertThat(copy("app-kafka-shipper").getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "logpipeline-operator");

    Secret retyped = copy("app-kafka-shipper");
    retyped.setType("kubernetes.io/basic-auth");
    client.secrets().inNamespace("team-a").resource(retyped).update();
    assertThat(reconcile(shipper, lp).getSingleOperation()).isEqualTo(ReconcileResult.Operation.UPDATED);
    assertThat(copy("app-kafka-shipper").getType()).isEqualTo("Opaque");
  }

  @Test
  void aMissingSourceKeepsTheCopyAndSaysWhatItWaitsFor() {
    source("kafka-shipper", "pw-1");
    LogPipeline lp = scram();
    reconcile(shipper, lp);
    Secret before = copy("app-kafka-shipper");
    client.secrets().inNamespace("team-a").withName("kafka-shipper").delete();

    ReconcileResult<Secret> result = reconcile(shipper, lp);

    assertThat(result.getSingleOperation()).isEqualTo(ReconcileResult.Operation.NONE);
    assertThat(copy("app-kafka-shipper").getData()).isEqualTo(before.getData());
    assertThat(observed.waiting()).containsExactly(Map.entry(Role.SHIPPER,
        "Secret team-a/kafka-shipper with keys username and password"));
    assertThat(observed.secretVersion(Role.SHIPPER)).isEqualTo(before.getMetadata().getResourceVersion());
  }

  @Test
  void aMissingSourceWithoutACopyWritesNothing() {
    ReconcileResult<Secret> result = reconcile(new IndexerKafkaCredentialsDependent(), scram());
    assertThat(result.getSingleResource()).isEmpty();
    assertThat(client.secrets().inNamespace("team-a").list().getItems()).isEmpty();
    assertThat(observed.waiting()).containsOnlyKeys(Role.INDEXER);
    assertThat(observed.secretVersion(Role.INDEXER)).isNull();
  }

  @Test
  void aSecretOfTheSameNameNotMadeByThePipelineIsAConflictAndStaysUntouched() {
    source("kafka-shipper", "pw-1");
    ownedBy("app-kafka-shipper", "someone-else");
    client.secrets().inNamespace("team-a").resource(new SecretBuilder().withNewMetadata()
        .withName("app-kafka-indexer").endMetadata().build()).create();

    assertThatThrownBy(() -> reconcile(shipper, scram()))
        .isInstanceOfSatisfying(StageException.class, e -> assertThat(e.reason()).isEqualTo("Conflict"))
        .hasMessage("Secret team-a/app-kafka-shipper exists and was not made by this LogPipeline; delete or rename it");
    assertThatThrownBy(() -> reconcile(new IndexerKafkaCredentialsDependent(), scram()))
        .isInstanceOf(StageException.class);
    assertThat(copy("app-kafka-shipper").getData()).isEmpty();
  }

  @Test
  void turningSecurityOffDeletesTheCopyButNotAnotherOwnersSecret() {
    source("kafka-shipper", "pw-1");
    reconcile(shipper, scram());
    assertThat(copy("app-kafka-shipper")).isNotNull();

    ReconcileResult<Secret> off = reconcile(shipper, plain());
    assertThat(off.getSingleResource()).isEmpty();
    assertThat(copy("app-kafka-shipper")).isNull();

    ownedBy("app-kafka-shipper", "someone-else");
    reconcile(new ShipperKafkaCredentialsDependent(), plain());
    assertThat(copy("app-kafka-shipper")).isNotNull();
  }

  @Test
  void aPipelineSeenWithoutSecurityIsNotLookedAtAgainUntilItTurnsItOn() {
    LogPipeline lp = plain();
    reconcile(shipper, lp);
    // Made meanwhile with the pipeline's uid: a read would find it ours and delete it.
    ownedBy("app-kafka-shipper", "uid-app");
    reconcile(shipper, lp);
    assertThat(copy("app-kafka-shipper")).isNotNull();

    client.secrets().inNamespace("team-a").withName("app-kafka-shipper").delete();
    source("kafka-shipper", "pw-1");
    reconcile(shipper, scram());
    assertThat(copy("app-kafka-shipper")).isNotNull();
    // Security on again took it off the list: off now deletes the copy.
    reconcile(shipper, lp);
    assertThat(copy("app-kafka-shipper")).isNull();
  }

  @Test
  void theDependentIsNamedForTheWorkflow() {
    assertThat(shipper.resourceType()).isEqualTo(Secret.class);
    assertThat(shipper.name()).isNotBlank();
    shipper.setName("shipper-kafka-credentials");
    assertThat(shipper.name()).isEqualTo("shipper-kafka-credentials");
  }
}
