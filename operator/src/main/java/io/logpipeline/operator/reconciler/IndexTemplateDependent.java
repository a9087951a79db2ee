package io.logpipeline.operator.reconciler;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.logpipeline.operator.elastic.SearchException;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.Pipeline;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The index template in Elasticsearch or OpenSearch: an external dependent. Each reconcile reads
 * the stored template and writes it only when its {@code _meta.hash} differs from the desired
 * body's, which is robust to how each product normalises settings when it stores them.
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

  /** The template's name. */
  protected String templateName(Pipeline p) {
    return p.templateName();
  }

  /** The template's body, with its hash. */
  protected ObjectNode body(Pipeline p) {
    return IndexTemplateModel.body(p);
  }

  /** The field that names the index, for a conflict with another pipeline's template. */
  protected String indexField() {
    return "spec.elasticsearch.index";
  }

  @Override
  public ReconcileResult<State> reconcile(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    String name = templateName(p);
    ObjectNode desired = body(p);
    State desiredState = new State(name, IndexTemplateModel.storedHash(desired));
    SearchClient client = client(p, context);
    try {
      Optional<ObjectNode> stored = client.getIndexTemplate(name);
      if (stored.isPresent()) {
        String owner = stored.get().path("_meta").path("logpipeline").asText(null);
        String self = p.namespace() + "/" + p.name();
        if (owner != null && !owner.equals(self)) {
          throw new StageException("Conflict", "index template " + name
              + " belongs to LogPipeline " + owner + "; choose another " + indexField());
        }
        if (desiredState.hash().equals(IndexTemplateModel.storedHash(stored.get()))) {
          return ReconcileResult.noOperation(desiredState);
        }
      }
      client.putIndexTemplate(name, desired);
      return stored.isPresent()
          ? ReconcileResult.resourceUpdated(desiredState)
          : ReconcileResult.resourceCreated(desiredState);
    } catch (SearchException e) {
      throw new StageException(e.reason().name(), e.getMessage(), e);
    }
  }

  /**
   * Removes the template under {@code deletionPolicy: Delete}; documents are never touched. With
   * the {@link LogPipeline#SKIP_EXTERNAL_CLEANUP} annotation the template is left where it is.
   */
  @Override
  public void delete(LogPipeline primary, Context<LogPipeline> context) {
    Pipeline p = PipelineContext.pipeline(context);
    if (p.spec().getDeletionPolicy() == DeletionPolicy.Retain || p.hosts().isEmpty()
        || skipsExternalCleanup(primary)) {
      return;
    }
    SearchClient client = client(p, context);
    try {
      Optional<ObjectNode> stored = client.getIndexTemplate(templateName(p));
      String owner = stored.map(s -> s.path("_meta").path("logpipeline").asText(null)).orElse(null);
      if (stored.isPresent() && (owner == null || owner.equals(p.namespace() + "/" + p.name()))) {
        client.deleteIndexTemplate(templateName(p));
      }
    } catch (SearchException e) {
      throw new StageException(e.reason().name(), e.getMessage(), e);
    }
  }

  static boolean skipsExternalCleanup(LogPipeline lp) {
    var annotations = lp.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(annotations.get(LogPipeline.SKIP_EXTERNAL_CLEANUP));
  }

  private static SearchClient client(Pipeline p, Context<LogPipeline> context) {
    try {
      return PipelineContext.searchClients(context).client(connection(p, context));
    } catch (IllegalArgumentException e) {
      // The client refuses a CA that is not PEM, or credentials inside a host URL.
      throw new StageException("InvalidConnection", e.getMessage()
          + " (check spec.elasticsearch.hosts and spec.elasticsearch.tls.caSecret)", e);
    }
  }

  /** Reads the referenced Secrets now, so a rotated password is used at the next reconcile. */
  static SearchConnection connection(Pipeline p, Context<LogPipeline> context) {
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
    if (encoded == null && secret.getStringData() != null) {
      return secret.getStringData().get(key);
    }
    if (encoded == null) {
      throw new StageException("SecretKeyNotFound", "Secret " + secret.getMetadata().getName()
          + " has no key '" + key + "' (" + field + "): add it or fix the key");
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }
}
