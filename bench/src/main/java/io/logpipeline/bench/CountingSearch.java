package io.logpipeline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.elastic.HttpSearchClient;
import io.logpipeline.operator.elastic.SearchClient;
import io.logpipeline.operator.elastic.SearchClients;
import io.logpipeline.operator.elastic.SearchException;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real HTTP search clients ({@link SearchClients#http()}'s) that count the index template
 * requests. Every reconcile that reaches the workflow reads the template once, so the GETs also
 * count the operator's provisioning reconciles.
 */
public final class CountingSearch {

  public final AtomicLong gets = new AtomicLong();
  public final AtomicLong puts = new AtomicLong();
  public final AtomicLong deletes = new AtomicLong();

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
    public void close() {
      delegate.close();
    }
  }
}
