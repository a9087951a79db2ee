package io.logpipeline.operator.logstash;

import java.util.List;
import java.util.stream.Collectors;

/** Part of a condition: a comparison, a negation, a parenthesized condition or a bare operand. */
public sealed interface Expression
    permits Condition, Expression.Negation, Expression.Comparison, Expression.Operand {

  /**
   * What a condition can compare (Logstash's {@code rvalue}): strings, numbers, field references,
   * arrays and regular expressions. Barewords such as {@code true} are not operands.
   */
  sealed interface Operand extends Expression
      permits Value.StringValue, Value.NumberValue, Value.ArrayValue, FieldReference, RegexValue {}

  /** A field of the event such as {@code [kubernetes][namespace]}; each element is one segment. */
  record FieldReference(List<String> path) implements Operand {

    public FieldReference {
      path = List.copyOf(path);
    }

    /** The reference as written: {@code [a][b]}. */
    public String text() {
      return path.stream().map(p -> "[" + p + "]").collect(Collectors.joining());
    }
  }

  /** A regular expression literal {@code /.../}; the pattern as written, {@code \/} included. */
  record RegexValue(String pattern) implements Operand {}

  /** {@code ![field]} or {@code !( condition )}. */
  record Negation(Expression operand) implements Expression {}

  /** Two operands joined by a comparison, membership or regular-expression operator. */
  record Comparison(Operand left, Operator operator, Operand right) implements Expression {}

  /** The operators that compare two operands. */
  enum Operator {
    EQ("=="), NE("!="), LT("<"), GT(">"), LE("<="), GE(">="),
    IN("in"), NOT_IN("not in"), MATCH("=~"), NOT_MATCH("!~");

    private final String symbol;

    Operator(String symbol) {
      this.symbol = symbol;
    }

    /** The operator as written in a condition. */
    public String symbol() {
      return symbol;
    }
  }
}
