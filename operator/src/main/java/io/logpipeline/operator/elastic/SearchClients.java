package io.logpipeline.operator.elastic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Hands out one client per connection and keeps it, so pipelines that write to the same cluster
 * share its HTTP connections.
 */
public final class SearchClients implements AutoCloseable {

  private final Function<SearchConnection, SearchClient> factory;
  private final Map<SearchConnection, SearchClient> clients = new ConcurrentHashMap<>();

  public SearchClients(Function<SearchConnection, SearchClient> factory) {
    this.factory = factory;
  }

  /** Clients that speak HTTP to real servers. */
  public static SearchClients http() {
    return new SearchClients(HttpSearchClient::new);
  }

  public SearchClient client(SearchConnection connection) {
    return clients.computeIfAbsent(connection, factory);
  }

  @Override
  public void close() {
    clients.values().forEach(SearchClient::close);
    clients.clear();
  }
}
