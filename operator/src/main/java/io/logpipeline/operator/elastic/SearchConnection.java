package io.logpipeline.operator.elastic;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Where and how to reach one Elasticsearch or OpenSearch cluster. Secret values live only here,
 * in memory; {@link #toString()} never prints them.
 *
 * @param hosts base URLs, tried in order until one answers
 * @param username basic-auth user, or null for no authentication
 * @param password basic-auth password, or null
 * @param apiKey Elasticsearch API key as {@code id:api_key}, used instead of basic auth, or null
 * @param caPem PEM text of the CA bundle to trust, or null for the JVM's default trust store
 * @param insecureSkipVerify trust any certificate and host name (tests and emergencies only)
 */
public record SearchConnection(List<URI> hosts, String username, String password, String apiKey,
    String caPem, boolean insecureSkipVerify) {

  public SearchConnection {
    hosts = List.copyOf(hosts);
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("at least one host is needed");
    }
  }

  /** Basic auth or none. */
  public SearchConnection(List<URI> hosts, String username, String password, String caPem,
      boolean insecureSkipVerify) {
    this(hosts, username, password, null, caPem, insecureSkipVerify);
  }

  public static SearchConnection plain(URI host) {
    return new SearchConnection(List.of(host), null, null, null, false);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SearchConnection c
        && hosts.equals(c.hosts)
        && Objects.equals(username, c.username)
        && Objects.equals(password, c.password)
        && Objects.equals(apiKey, c.apiKey)
        && Objects.equals(caPem, c.caPem)
        && insecureSkipVerify == c.insecureSkipVerify;
  }

  @Override
  public int hashCode() {
    return Objects.hash(hosts, username, password, apiKey, caPem, insecureSkipVerify);
  }

  @Override
  public String toString() {
    return "SearchConnection" + hosts + (apiKey != null ? " with an API key"
        : username != null ? " as " + username : "");
  }
}
