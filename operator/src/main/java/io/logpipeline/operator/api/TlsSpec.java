package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** TLS towards the search cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {

  /** Secret with the CA certificate. */
  @JsonPropertyDescription("Secret (in the LogPipeline's namespace) and key holding the PEM CA bundle to trust. Absent: the default trust store.")
  private SecretKeySpec caSecret;

  /** Skip certificate verification. */
  @JsonPropertyDescription("true: accept any certificate. Only for tests; traffic can then be intercepted.")
  private boolean insecureSkipVerify;

  public SecretKeySpec getCaSecret() { return caSecret; }
  public void setCaSecret(SecretKeySpec caSecret) { this.caSecret = caSecret; }
  public boolean isInsecureSkipVerify() { return insecureSkipVerify; }
  public void setInsecureSkipVerify(boolean insecureSkipVerify) { this.insecureSkipVerify = insecureSkipVerify; }
}
