package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.NameSetter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.DeletionPolicy;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.api.TlsSpec;
import io.logpipeline.operator.elastic.SearchClient;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The index template, its lifecycle policy and data stream in Elasticsearch or OpenSearch: an
 * external dependent ({@link IndexSetup} does the work). Each reconcile reads the stored objects
 * and writes one only when the hash it carries differs from the desired body's, which is robust to
 * how each product normalises a body when it stores it.
 */
public class IndexTemplateDependent
    implements DependentResource<IndexTemplateDependent.State, LogPipeline>, Deleter<LogPipeline>, NameSetter {

  /** The name the workflow gives it, by which other dependents depend on it. */
  private String name = DependentResource.defaultNameFor(getClass());

  @Override
  public String name() {
    return name;
  }

  @Override
  public void setName(String name) {
    this.name = name;
  }

  /** What the operator knows of a stored template: its name and the hash it carries. */
  public record State(String name, String hash) {}

  @Override
  public Class<State> resourceType() {
    return State.class;
  }

  @Override
  public ReconcileResult<State> reconcile(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    IndexSetup.Result result = IndexSetup.converge(client(p, context), p);
    if (result.lifecycleUnavailable() != null) {
      // The template went out without the lifecycle; the condition says what the cluster lacks.
      throw result.lifecycleUnavailable();
    }
    State state = new State(p.templateName(), result.templateHash());
    if (!result.written()) {
      return ReconcileResult.noOperation(state);
    }
    return result.created()
        ? ReconcileResult.resourceCreated(state)
        : ReconcileResult.resourceUpdated(state);
  }

  /**
   * Removes the template and the lifecycle policy under {@code deletionPolicy: Delete}; documents
   * are never touched. With the {@link LogPipeline#SKIP_EXTERNAL_CLEANUP} annotation both are left
   * where they are.
   */
  @Override
  public void delete(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    if (p.spec().getDeletionPolicy() != DeletionPolicy.Delete || p.hosts().isEmpty()
        || skipsExternalCleanup(primary)) {
      return;
    }
    IndexSetup.remove(client(p, context), p);
  }

  static boolean skipsExternalCleanup(LogPipeline lp) {
    var annotations = lp.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(LogPipeline.SKIP_EXTERNAL_CLEANUP));
  }

  static SearchClient client(Pipeline p, Context<LogPipeline> context) {
    try {
      return PipelineContext.searchClients(context).client(connection(p, context));
    } catch (IllegalArgumentException e) {
      // The client refuses a CA that is not PEM, or credentials inside a host URL.
      throw new StageException("InvalidConnection", e.getMessage()
          + " (check spec.elasticsearch.hosts and spec.elasticsearch.tls.caSecret)", e);
    }
  }

  /** Reads the referenced Secrets at each reconcile (once), so a rotated password is used at the next. */
  static SearchConnection connection(Pipeline p, Context<LogPipeline> context) {
    return PipelineContext.searchConnection(context, () -> readConnection(p, context));
  }

  private static SearchConnection readConnection(Pipeline p, Context<LogPipeline> context) {
    var es = p.spec().getElasticsearch();
    String username = null;
    String password = null;
    String apiKey = null;
    CredentialsSecretRef creds = es.getCredentialsSecret();
    if (creds != null) {
      Secret secret = secret(p, context, creds.getName(), "spec.elasticsearch.credentialsSecret.name");
      if (IndexerModel.usesApiKey(creds)) {
        apiKey = value(secret, creds.getApiKeyKey(), "spec.elasticsearch.credentialsSecret.apiKeyKey");
      } else {
        username = value(secret, creds.getUsernameKey(), "spec.elasticsearch.credentialsSecret.usernameKey");
        password = value(secret, creds.getPasswordKey(), "spec.elasticsearch.credentialsSecret.passwordKey");
      }
    }
    String ca = null;
    TlsSpec tls = es.getTls();
    if (tls != null && tls.getCaSecret() != null) {
      SecretKeySpec ref = tls.getCaSecret();
      ca = value(secret(p, context, ref.getName(), "spec.elasticsearch.tls.caSecret.name"),
          ref.getKey(), "spec.elasticsearch.tls.caSecret.key");
    }
    return new SearchConnection(p.hosts(), username, password, apiKey, ca,
        tls != null && tls.isInsecureSkipVerify());
  }

  private static Secret secret(Pipeline p, Context<LogPipeline> context, String name, String field) {
    Secret secret = context.getClient().secrets().inNamespace(p.namespace()).withName(name).get();
    if (secret == null) {
      throw new StageException("SecretNotFound", "Secret " + name + " (" + field
          + ") does not exist in namespace " + p.namespace() + ": create it or fix the name");
    }
    return secret;
  }

  private static String value(Secret secret, String key, String field) {
    String encoded = secret.getData() == null ? null : secret.getData().get(key);
    if (encoded != null) {
      return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    }
    // fabric8 reads an absent stringData as an empty map: the key is missing from both.
    String plain = secret.getStringData() == null ? null : secret.getStringData().get(key);
    if (plain == null) {
      throw new StageException("SecretKeyNotFound", "Secret " + secret.getMetadata().getName()
          + " has no key '" + key + "' (" + field + "): add it or fix the key");
    }
    return plain;
  }
}
