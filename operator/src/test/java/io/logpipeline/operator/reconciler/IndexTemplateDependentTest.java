package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.api.TlsSpec;
import io.logpipeline.operator.elastic.InMemoryTemplates;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.kafka.KafkaClients;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The index template as a dependent: what the workflow learns of a reconcile (created, updated,
 * nothing), the lifecycle the cluster lacks as a failure of the stage, the connection built from
 * the Secrets (each missing one named with its field), and the removal under each policy.
 */
@EnableKubernetesMockClient(crud = true)
class IndexTemplateDependentTest {

  static KubernetesClient client;
  static final String NS = "logging";

  final InMemoryTemplates cluster = new InMemoryTemplates();
  final List<SearchConnection> connections = new CopyOnWriteArrayList<>();
  final SearchClients clients = new SearchClients(c -> {
    connections.add(c);
    return cluster;
  });

  @AfterEach
  void removeSecrets() {
    client.secrets().inNamespace(NS).delete();
  }

  static LogPipeline lp(Consumer<LogPipeline> edit) {
    LogPipeline lp = TestLogPipelines.minimal("app", NS, "https://es:9200");
    edit.accept(lp);
    return lp;
  }

  StubbedContext context(LogPipeline lp) {
    return new StubbedContext(client).forDependents(StubbedContext.valid(lp), clients, new KafkaClients(c -> null));
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theWorkflowLearnsWhetherTheTemplateWasCreatedUpdatedOrLeft() {
    LogPipeline lp = lp(x -> {});
    Pipeline p = StubbedContext.valid(lp);
    var dependent = new IndexTemplateDependent();

    ReconcileResult<IndexTemplateDependent.State> created = dependent.reconcile(lp, context(lp).context);
    assertThat(created.getSingleOperation()).isEqualTo(ReconcileResult.Operation.CREATED);
    IndexTemplateDependent.State state = created.getSingleResource().orElseThrow();
    assertThat(state.name()).isEqualTo(p.templateName());
    assertThat(state.hash()).isEqualTo(IndexTemplateModel.storedHash(cluster.templates.get(p.templateName())));

    assertThat(dependent.reconcile(lp, context(lp).context).getSingleOperation())
        .isEqualTo(ReconcileResult.Operation.NONE);

    ObjectNode edited = cluster.templates.get(p.templateName());
    ((ObjectNode) edited.path("_meta")).put(IndexTemplateModel.HASH_KEY, "by hand");
    cluster.templates.put(p.templateName(), edited);
    assertThat(dependent.reconcile(lp, context(lp).context).getSingleOperation())
        .isEqualTo(ReconcileResult.Operation.UPDATED);
  }

  @Test
  void aLifecycleTheClusterLacksFailsTheStageAfterTheTemplateWentOut() {
    LogPipeline lp = lp(x -> {
      LifecycleSpec lifecycle = new LifecycleSpec();
      lifecycle.setDeleteAfter("30d");
      x.getSpec().getElasticsearch().setLifecycle(lifecycle);
    });
    StageException e = catchThrowableOfType(StageException.class,
        () -> new IndexTemplateDependent().reconcile(lp, context(lp).context));
    assertThat(e.reason()).isEqualTo("IlmUnavailable");
    assertThat(cluster.templates).containsKey(StubbedContext.valid(lp).templateName());
  }

  @Test
  void theNameIsTheOneTheWorkflowGives() {
    var dependent = new IndexTemplateDependent();
    assertThat(dependent.name()).isNotBlank();
    dependent.setName("index-template");
    assertThat(dependent.name()).isEqualTo("index-template");
    assertThat(dependent.resourceType()).isEqualTo(IndexTemplateDependent.State.class);
  }

  @Test
  void theConnectionCarriesTheSecretsValues() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("es").endMetadata()
        .addToData("username", b64("elastic")).addToStringData("password", "s3cret").build()).create();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("es-ca").endMetadata()
        .addToData("ca.crt", b64("-----BEGIN CERTIFICATE-----")).build()).create();
    LogPipeline lp = lp(x -> {
      CredentialsSecretRef creds = new CredentialsSecretRef();
      creds.setName("es");
      x.getSpec().getElasticsearch().setCredentialsSecret(creds);
      TlsSpec tls = new TlsSpec();
      SecretKeySpec ca = new SecretKeySpec();
      ca.setName("es-ca");
      tls.setCaSecret(ca);
      tls.setInsecureSkipVerify(true);
      x.getSpec().getElasticsearch().setTls(tls);
    });
    StubbedContext ctx = context(lp);

    SearchConnection c = IndexTemplateDependent.connection(StubbedContext.valid(lp), ctx.context);

    assertThat(c.username()).isEqualTo("elastic");
    assertThat(c.password()).isEqualTo("s3cret");
    assertThat(c.apiKey()).isNull();
    assertThat(c.caPem()).isEqualTo("-----BEGIN CERTIFICATE-----");
    assertThat(c.insecureSkipVerify()).isTrue();
    assertThat(c.hosts()).extracting(Object::toString).containsExactly("https://es:9200");
  }

  @Test
  void anApiKeyIsUsedInsteadOfAUser() {
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("es-key").endMetadata()
        .addToData("key", b64("id:secret")).build()).create();
    LogPipeline lp = lp(x -> {
      CredentialsSecretRef creds = new CredentialsSecretRef();
      creds.setName("es-key");
      creds.setApiKeyKey("key");
      x.getSpec().getElasticsearch().setCredentialsSecret(creds);
    });
    SearchConnection c = IndexTemplateDependent.connection(StubbedContext.valid(lp), context(lp).context);
    assertThat(c.apiKey()).isEqualTo("id:secret");
    assertThat(c.username()).isNull();
    assertThat(c.password()).isNull();
    assertThat(c.caPem()).isNull();
    assertThat(c.insecureSkipVerify()).isFalse();
  }

  @Test
  void aMissingSecretOrKeyIsNamedWithItsField() {
    LogPipeline lp = lp(x -> {
      CredentialsSecretRef creds = new CredentialsSecretRef();
      creds.setName("es");
      x.getSpec().getElasticsearch().setCredentialsSecret(creds);
    });
    StageException missing = catchThrowableOfType(StageException.class,
        () -> new IndexTemplateDependent().reconcile(lp, context(lp).context));
    assertThat(missing.reason()).isEqualTo("SecretNotFound");
    assertThat(missing.getMessage()).isEqualTo("Secret es (spec.elasticsearch.credentialsSecret.name) does not exist"
        + " in namespace logging: create it or fix the name");

    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("es").endMetadata()
        .addToData("username", b64("elastic")).build()).create();
    StageException key = catchThrowableOfType(StageException.class,
        () -> new IndexTemplateDependent().reconcile(lp, context(lp).context));
    assertThat(key.reason()).isEqualTo("SecretKeyNotFound");
    assertThat(key.getMessage()).isEqualTo("Secret es has no key 'password'"
        + " (spec.elasticsearch.credentialsSecret.passwordKey): add it or fix the key");
    assertThat(cluster.templates).isEmpty();

    client.secrets().inNamespace(NS).withName("es").delete();
    client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("es").endMetadata()
        .build()).create();
    assertThat(catchThrowableOfType(StageException.class,
        () -> new IndexTemplateDependent().reconcile(lp, context(lp).context)).getMessage())
        .contains("no key 'username'");
  }

  @Test
  void aConnectionTheClientRefusesIsInvalid() {
    LogPipeline lp = lp(x -> {});
    SearchClients refusing = new SearchClients(c -> {
      throw new IllegalArgumentException("the CA is not PEM");
    });
    StubbedContext ctx = new StubbedContext(client).forDependents(StubbedContext.valid(lp), refusing, new KafkaClients(c -> null));
    StageException e = catchThrowableOfType(StageException.class,
        () -> new IndexTemplateDependent().reconcile(lp, ctx.context));
    assertThat(e.reason()).isEqualTo("InvalidConnection");
    assertThat(e.getMessage()).isEqualTo("the CA is not PEM (check spec.elasticsearch.hosts and spec.elasticsearch.tls.caSecret)");
  }

  @Test
  void theSecretsAreReadOncePerReconcile() {
    LogPipeline lp = lp(x -> {});
    StubbedContext ctx = context(lp);
    Pipeline p = StubbedContext.valid(lp);
    SearchConnection first = IndexTemplateDependent.connection(p, ctx.context);
    assertThat(IndexTemplateDependent.connection(p, ctx.context)).isSameAs(first);
  }

  @Test
  void deletionRemovesTheTemplateOnlyUnderDelete() {
    LogPipeline lp = lp(x -> {});
    var dependent = new IndexTemplateDependent();
    dependent.reconcile(lp, context(lp).context);
    String name = StubbedContext.valid(lp).templateName();

    LogPipeline retain = lp(x -> x.getSpec().setDeletionPolicy(DeletionPolicy.Retain));
    dependent.delete(retain, context(retain).context);
    assertThat(cluster.templates).containsKey(name);

    LogPipeline unreadable = lp(x -> x.getSpec().setDeletionPolicy(null));
    dependent.delete(unreadable, context(unreadable).context);
    assertThat(cluster.templates).as("a policy that could not be read keeps it").containsKey(name);

    LogPipeline skip = lp(x -> x.getMetadata().setAnnotations(Map.of(LogPipeline.SKIP_EXTERNAL_CLEANUP, "TRUE")));
    dependent.delete(skip, context(skip).context);
    assertThat(cluster.templates).containsKey(name);

    dependent.delete(lp, context(lp).context);
    assertThat(cluster.templates).doesNotContainKey(name);
  }

  @Test
  void theSkipAnnotationMustSayTrue() {
    assertThat(IndexTemplateDependent.skipsExternalCleanup(lp(x -> {}))).isFalse();
    assertThat(IndexTemplateDependent.skipsExternalCleanup(lp(x -> x.getMetadata().setAnnotations(
        Map.of(LogPipeline.SKIP_EXTERNAL_CLEANUP, "false"))))).isFalse();
    assertThat(IndexTemplateDependent.skipsExternalCleanup(lp(x -> x.getMetadata().setAnnotations(
        Map.of("other", "true"))))).isFalse();
    assertThat(IndexTemplateDependent.skipsExternalCleanup(lp(x -> x.getMetadata().setAnnotations(
        Map.of(LogPipeline.SKIP_EXTERNAL_CLEANUP, "true"))))).isTrue();
  }

  @Test
  void deletionWithoutHostsHasNothingToRemove() {
    LogPipeline lp = lp(x -> x.getSpec().getElasticsearch().setHosts(List.of("not a url")));
    Pipeline p = Pipeline.forCleanup(lp);
    assertThat(p.hosts()).isEmpty();
    StubbedContext ctx = new StubbedContext(client).forDependents(p, clients, new KafkaClients(c -> null));
    new IndexTemplateDependent().delete(lp, ctx.context);
    assertThat(connections).isEmpty();
  }
}
