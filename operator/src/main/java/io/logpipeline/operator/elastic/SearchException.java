package io.logpipeline.operator.elastic;

/**
 * A failed call to Elasticsearch or OpenSearch, classified so the status can tell the user what to
 * fix. The message names the host and never carries credentials.
 */
public class SearchException extends Exception {

  /** Why the call failed, in the words of the {@code IndexTemplateReady} condition's reason. */
  public enum Reason {
    /** No host answered: DNS, connection refused, timeout, TLS handshake. */
    Unreachable,
    /** 401 or 403: the credentials are wrong or lack the privilege. */
    Unauthorized,
    /** Another 4xx: the server refused the request (bad mapping or setting). */
    Rejected,
    /** A 5xx: the server failed; retrying may help. */
    ServerError,
    /**
     * The server does not serve the API at all: ILM on Elasticsearch's OSS build or on OpenSearch,
     * ISM on OpenSearch without the index-management plugin.
     */
    Unsupported
  }

  private final Reason reason;

  public SearchException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public SearchException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
