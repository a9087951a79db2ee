package io.logpipeline.operator.logstash;

import java.util.List;

/**
 * A condition as Logstash's grammar reads it: operands joined left to right by boolean
 * operators, with no precedence applied (Logstash applies it when compiling). A parenthesized
 * condition is an operand of the enclosing one.
 *
 * @param operands at least one expression
 * @param operators exactly one fewer than the operands; {@code operators.get(i)} joins operand
 *     {@code i} and {@code i + 1}
 */
public record Condition(List<Expression> operands, List<BooleanOperator> operators)
    implements Expression {

  public Condition {
    operands = List.copyOf(operands);
    operators = List.copyOf(operators);
    if (operands.isEmpty() || operators.size() != operands.size() - 1) {
      throw new IllegalArgumentException(
          operands.size() + " operands need " + (operands.size() - 1) + " operators");
    }
  }

  /** The words Logstash accepts between two expressions. */
  public enum BooleanOperator {
    AND("and"), OR("or"), XOR("xor"), NAND("nand");

    private final String word;

    BooleanOperator(String word) {
      this.word = word;
    }

    /** The operator as written in a condition. */
    public String word() {
      return word;
    }
  }
}
