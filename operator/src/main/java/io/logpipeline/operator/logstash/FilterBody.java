package io.logpipeline.operator.logstash;

import java.util.List;

/**
 * What a user writes in {@code spec.indexer.filter}: the statements between <code>filter {</code>
 * and its closing <code>}</code>, as Logstash would read them.
 */
public record FilterBody(List<Statement> statements) {

  public FilterBody {
    statements = List.copyOf(statements);
  }

  /** Every filter plugin, depth-first in source order, including those inside conditionals. */
  public List<Plugin> plugins() {
    return Statement.plugins(statements);
  }
}
