package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real HTTP search clients ({@link SearchClients#http()}'s) that count the operator's writes
 * (templates, policies, data streams) and the index template reads, and when each template was
 * read. Every reconcile that reaches the workflow reads the template once, so the GETs also count
 * the operator's provisioning reconciles.
 */
public final class CountingSearch {

  public final AtomicLong gets = new AtomicLong();
  public final AtomicLong puts = new AtomicLong();
  public final AtomicLong deletes = new AtomicLong();
  /** {@code _msearch} requests: the flow observer's reads. */
  public final AtomicLong multiSearches = new AtomicLong();
  private final Map<String, List<Long>> reads = new ConcurrentHashMap<>();

  /** When each GET of this template was made ({@link System#nanoTime()}), oldest first. */
  public List<Long> reads(String template) {
    return List.copyOf(reads.getOrDefault(template, List.of()));
  }

  public SearchClients clients() {
    return new SearchClients(connection -> new Counting(new HttpSearchClient(connection)));
  }

  private final class Counting implements SearchClient {
    private final SearchClient delegate;

    Counting(SearchClient delegate) {
      this.delegate = delegate;
    }

    @Override
    public Optional<ObjectNode> getIndexTemplate(String name) throws SearchException {
      gets.incrementAndGet();
      reads.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(System.nanoTime());
      return delegate.getIndexTemplate(name);
    }

    @Override
    public void putIndexTemplate(String name, ObjectNode body) throws SearchException {
      puts.incrementAndGet();
      delegate.putIndexTemplate(name, body);
    }

    @Override
    public boolean deleteIndexTemplate(String name) throws SearchException {
      deletes.incrementAndGet();
      return delegate.deleteIndexTemplate(name);
    }

    @Override
    public Optional<StoredPolicy> getLifecyclePolicy(LifecycleApi api, String name)
        throws SearchException {
      return delegate.getLifecyclePolicy(api, name);
    }

    @Override
    public void putLifecyclePolicy(LifecycleApi api, String name, ObjectNode body,
        StoredPolicy current) throws SearchException {
      puts.incrementAndGet();
      delegate.putLifecyclePolicy(api, name, body, current);
    }

    @Override
    public PolicyDeletion deleteLifecyclePolicy(LifecycleApi api, String name)
        throws SearchException {
      deletes.incrementAndGet();
      return delegate.deleteLifecyclePolicy(api, name);
    }

    @Override
    public int changeManagedIndicesPolicy(String name, List<String> patterns)
        throws SearchException {
      return delegate.changeManagedIndicesPolicy(name, patterns);
    }

    @Override
    public boolean dataStreamExists(String name) throws SearchException {
      return delegate.dataStreamExists(name);
    }

    @Override
    public void createDataStream(String name) throws SearchException {
      puts.incrementAndGet();
      delegate.createDataStream(name);
    }

    @Override
    public List<com.fasterxml.jackson.databind.JsonNode> multiSearch(List<Search> searches) throws SearchException {
      multiSearches.incrementAndGet();
      return delegate.multiSearch(searches);
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
