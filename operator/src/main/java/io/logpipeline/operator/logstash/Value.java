package io.logpipeline.operator.logstash;

import java.util.List;
import java.util.Optional;

/**
 * The value of a setting, as Logstash's grammar allows it: a string, number, bareword, array,
 * hash, or a plugin (a codec).
 */
public sealed interface Value
    permits Plugin, Value.StringValue, Value.NumberValue, Value.BarewordValue, Value.ArrayValue,
        Value.HashValue {

  /**
   * A quoted string. {@code text} is what stands between the quotes, unchanged: Logstash passes
   * backslashes through to the plugin unless {@code config.support_escapes} is set, which the
   * operator does not set.
   */
  record StringValue(String text) implements Value, Expression.Operand {}

  /** A number as written: an optional {@code -}, digits, and an optional {@code .} and digits. */
  record NumberValue(String text) implements Value, Expression.Operand {}

  /** An unquoted word such as {@code json} or {@code true}. */
  record BarewordValue(String text) implements Value {}

  /** {@code [a, "b", 1]}. */
  record ArrayValue(List<Value> elements) implements Value, Expression.Operand {

    public ArrayValue {
      elements = List.copyOf(elements);
    }
  }

  /** {@code { "key" => value ... }}; entries in source order. */
  record HashValue(List<HashEntry> entries) implements Value {

    public HashValue {
      entries = List.copyOf(entries);
    }

    /** The value of the entry whose key (string, bareword or number) reads {@code key}. */
    public Optional<Value> get(String key) {
      return entries.stream().filter(e -> key.equals(keyText(e.key()))).map(HashEntry::value)
          .findFirst();
    }

    private static String keyText(Value key) {
      if (key instanceof StringValue s) {
        return s.text();
      } else if (key instanceof BarewordValue b) {
        return b.text();
      } else if (key instanceof NumberValue n) {
        return n.text();
      }
      return null;
    }
  }

  /** One {@code key => value} of a hash; the key is a string, bareword or number. */
  record HashEntry(Value key, Value value) {}
}
