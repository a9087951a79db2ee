package io.logpipeline.operator.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parser for the subset of Logstash's pipeline language the operator writes and the tests use
 * as filters: sections of plugins whose settings are strings, numbers, barewords, arrays and
 * hashes, with {@code #} comments, and the operator's own conditionals (a condition up to its
 * brace, and else): their plugins are flattened into the section, each with the condition it
 * runs under. Lets tests assert on the pipeline's structure instead of its text, and fails on
 * anything Logstash would not parse.
 */
final class LogstashConfig {

  /** The condition of the canary's branch: {@link IndexerModel#CANARY_FIELD}. */
  static final String CANARY = IndexerModel.CANARY_FIELD;

  /**
   * One plugin block, e.g. {@code kafka { topics => ["t"] }}; {@code condition} is the condition
   * it runs under ("!" + condition in an else branch), or null.
   */
  record Plugin(String name, Map<String, Object> settings, String condition) {

    Object get(String key) {
      return settings.get(key);
    }
  }

  /** A bareword value ({@code json}, {@code false}): kept apart from quoted strings. */
  record Bareword(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  private final Map<String, List<Plugin>> sections;

  private LogstashConfig(Map<String, List<Plugin>> sections) {
    this.sections = sections;
  }

  static LogstashConfig parse(String text) {
    return new LogstashConfig(new Parser(text).config());
  }

  /** The section's plugins, apart from the canary's branch. */
  List<Plugin> section(String name) {
    return sections.getOrDefault(name, List.of()).stream().filter(p -> !CANARY.equals(p.condition())).toList();
  }

  /** The plugins of the section's canary branch. */
  List<Plugin> canary(String name) {
    return sections.getOrDefault(name, List.of()).stream().filter(p -> CANARY.equals(p.condition())).toList();
  }

  List<String> sectionNames() {
    return List.copyOf(sections.keySet());
  }

  /** The only plugin of that name in the section. */
  Plugin plugin(String section, String name) {
    List<Plugin> found = section(section).stream().filter(p -> p.name().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected one " + name + " in " + section + ", found " + found.size()
          + " in " + sections);
    }
    return found.get(0);
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Map<String, List<Plugin>> config() {
      Map<String, List<Plugin>> sections = new LinkedHashMap<>();
      skip();
      while (i < s.length()) {
        String name = word();
        if (!List.of("input", "filter", "output").contains(name)) {
          throw error("section input, filter or output expected, found " + name);
        }
        expect('{');
        List<Plugin> plugins = sections.computeIfAbsent(name, k -> new ArrayList<>());
        skip();
        while (peek() != '}') {
          plugins.addAll(plugins(null));
          skip();
        }
        expect('}');
        skip();
      }
      return sections;
    }

    /** A plugin, or the plugins of a conditional's branches. */
    private List<Plugin> plugins(String outer) {
      skip();
      int start = i;
      String name = word();
      if (!name.equals("if")) {
        i = start;
        return List.of(plugin(outer));
      }
      List<Plugin> found = new ArrayList<>();
      List<String> conditions = new ArrayList<>();
      String condition = s.substring(i, s.indexOf('{', i)).trim();
      while (true) {
        conditions.add(condition);
        i = s.indexOf('{', i) + 1;
        skip();
        while (peek() != '}') {
          found.addAll(plugins(condition));
          skip();
        }
        expect('}');
        skip();
        int before = i;
        if (i < s.length() && Character.isLetter(peek()) && word().equals("else")) {
          skip();
          int afterElse = i;
          if (Character.isLetter(peek()) && word().equals("if")) {
            condition = s.substring(i, s.indexOf('{', i)).trim();
          } else {
            i = afterElse;
            condition = conditions.size() == 1 ? "!" + conditions.get(0) : "else";
          }
          continue;
        }
        i = before;
        return found;
      }
    }

    private Plugin plugin(String condition) {
      String name = word();
      expect('{');
      Map<String, Object> settings = new LinkedHashMap<>();
      skip();
      while (peek() != '}') {
        String key = word();
        expect('=');
        expect('>');
        if (settings.put(key, value()) != null) {
          throw error("setting " + key + " given twice in " + name);
        }
        skip();
      }
      expect('}');
      return new Plugin(name, settings, condition);
    }

    private Object value() {
      skip();
      char c = peek();
      if (c == '"' || c == '\'') {
        return string();
      }
      if (c == '[') {
        i++;
        List<Object> list = new ArrayList<>();
        skip();
        while (peek() != ']') {
          list.add(value());
          skip();
          if (peek() == ',') {
            i++;
            skip();
          } else if (peek() != ']') {
            throw error("',' or ']' expected");
          }
        }
        i++;
        return list;
      }
      if (c == '{') {
        i++;
        Map<String, Object> hash = new LinkedHashMap<>();
        skip();
        while (peek() != '}') {
          Object key = value();
          expect('=');
          expect('>');
          hash.put(String.valueOf(key), value());
          skip();
          if (peek() == ',') {
            i++;
            skip();
          }
        }
        i++;
        return hash;
      }
      String word = word();
      if (word.matches("-?[0-9]+")) {
        return Long.parseLong(word);
      }
      if (word.matches("-?[0-9]+\\.[0-9]+")) {
        return Double.parseDouble(word);
      }
      return new Bareword(word);
    }

    private String string() {
      char quote = s.charAt(i++);
      StringBuilder out = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw error("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == quote) {
          return out.toString();
        }
        if (c == '\\' && i < s.length() && s.charAt(i) == quote) {
          out.append(quote);
          i++;
        } else {
          out.append(c);
        }
      }
    }

    private String word() {
      skip();
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "_@.-".indexOf(s.charAt(i)) >= 0)) {
        i++;
      }
      if (start == i) {
        throw error("name expected");
      }
      return s.substring(start, i);
    }

    private void expect(char c) {
      skip();
      if (peek() != c) {
        throw error("'" + c + "' expected");
      }
      i++;
    }

    private char peek() {
      if (i >= s.length()) {
        throw error("unexpected end");
      }
      return s.charAt(i);
    }

    private void skip() {
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '#') {
          while (i < s.length() && s.charAt(i) != '\n') {
            i++;
          }
        } else {
          return;
        }
      }
    }

    private AssertionError error(String message) {
      int line = (int) s.substring(0, Math.min(i, s.length())).chars().filter(ch -> ch == '\n').count() + 1;
      return new AssertionError("Logstash config, line " + line + ": " + message + "\n" + s);
    }
  }
}
