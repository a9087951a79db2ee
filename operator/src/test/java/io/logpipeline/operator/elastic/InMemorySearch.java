package io.logpipeline.operator.elastic;

/** Search clients on one {@link InMemoryTemplates}, for tests that are not about the search cluster. */
public final class InMemorySearch {

  private InMemorySearch() {}

  public static SearchClients clients() {
    InMemoryTemplates cluster = new InMemoryTemplates();
    return new SearchClients(connection -> cluster);
  }
}
