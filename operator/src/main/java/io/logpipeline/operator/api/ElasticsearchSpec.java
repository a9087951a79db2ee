package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.ArrayList;
import java.util.List;

/** The search cluster that stores the documents, and the index template the operator keeps there. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.credentialsSecret) && has(self.credentialsSecret.apiKeyKey)) || !has(self.flavor) || self.flavor != 'opensearch'",
    message = "API keys are an Elasticsearch feature; with flavor opensearch use usernameKey and passwordKey",
    fieldPath = ".credentialsSecret.apiKeyKey")
public class ElasticsearchSpec {

  /** Base URLs of the cluster. */
  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription("Base URLs of the cluster, e.g. https://es-http.elastic.svc:9200.")
  private List<@Pattern("^https?://([^/@\\s\":\\[\\]]+|\\[[0-9a-fA-F:.]+\\])(:[0-9]{1,5})?(/.*)?$") String> hosts =
      new ArrayList<>();

  /** Which product answers at the hosts. */
  @Default("elasticsearch")
  @JsonPropertyDescription("elasticsearch or opensearch: decides Logstash's output plugin and default image.")
  private Flavor flavor = Flavor.ELASTICSEARCH;

  /** Secret with the username and password. */
  @JsonPropertyDescription("Secret in the LogPipeline's namespace with the username and password (basic auth). Absent: no authentication.")
  private CredentialsSecretRef credentialsSecret;

  /** TLS settings. */
  @JsonPropertyDescription("TLS: the CA to trust for https hosts.")
  private TlsSpec tls;

  /** Index or data stream name. */
  @Pattern("^[a-z0-9][a-z0-9._-]{0,229}$")
  @JsonPropertyDescription("Index (or data stream) name; the template matches it (data stream) or its daily indices <index>_YYYY.MM.DD. Default: logs-<namespace>.<name>.")
  private String index;

  /** The index template. */
  @JsonPropertyDescription("The composable index template the operator keeps for the index.")
  private TemplateSpec template = new TemplateSpec();

  /** Rollover and deletion of the indices. */
  @JsonPropertyDescription("Rollover and deletion of the indices: an ILM policy (elasticsearch) or ISM policy (opensearch) named like the index. Absent: indices are kept forever (reported as a warning).")
  private LifecycleSpec lifecycle;

  public List<String> getHosts() { return hosts; }
  public void setHosts(List<String> hosts) { this.hosts = hosts; }
  public Flavor getFlavor() { return flavor; }
  public void setFlavor(Flavor flavor) { this.flavor = flavor; }
  public CredentialsSecretRef getCredentialsSecret() { return credentialsSecret; }
  public void setCredentialsSecret(CredentialsSecretRef credentialsSecret) { this.credentialsSecret = credentialsSecret; }
  public TlsSpec getTls() { return tls; }
  public void setTls(TlsSpec tls) { this.tls = tls; }
  public String getIndex() { return index; }
  public void setIndex(String index) { this.index = index; }
  public TemplateSpec getTemplate() { return template; }
  public void setTemplate(TemplateSpec template) { this.template = template; }
  public LifecycleSpec getLifecycle() { return lifecycle; }
  public void setLifecycle(LifecycleSpec lifecycle) { this.lifecycle = lifecycle; }
}
