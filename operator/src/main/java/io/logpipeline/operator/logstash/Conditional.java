package io.logpipeline.operator.logstash;

import java.util.List;

/**
 * An {@code if ... { } else if ... { } else { }} chain: the first branch whose condition holds
 * runs, or the else body when none does.
 *
 * @param branches the {@code if} branch followed by any {@code else if} branches
 * @param elseBody the statements of the {@code else} block; empty when there is none
 * @param line the line of the {@code if}
 */
public record Conditional(List<Branch> branches, List<Statement> elseBody, int line)
    implements Statement {

  public Conditional {
    branches = List.copyOf(branches);
    elseBody = List.copyOf(elseBody);
  }

  /** One {@code if} or {@code else if}: its condition and the statements it guards. */
  public record Branch(Condition condition, List<Statement> body, int line) {

    public Branch {
      body = List.copyOf(body);
    }
  }
}
