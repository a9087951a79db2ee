package io.logpipeline.operator.logstash;

import io.logpipeline.operator.logstash.Value.ArrayValue;
import io.logpipeline.operator.logstash.Value.HashEntry;
import io.logpipeline.operator.logstash.Value.HashValue;
import io.logpipeline.operator.logstash.Value.StringValue;
import org.jcodings.specific.UTF8Encoding;
import org.joni.Option;
import org.joni.Regex;
import org.joni.Syntax;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The regular expressions of a filter that Logstash compiles when the pipeline starts, checked
 * with the engine Logstash uses: Oniguruma in Ruby syntax, through JRuby's joni. A pattern joni
 * refuses makes Logstash refuse to start the pipeline, so the operator refuses the filter first:
 *
 * <ul>
 *   <li>the right side of {@code =~} and {@code !~} in conditions (a {@code /regexp/} or a
 *       string): Logstash's condition compiler builds a Regexp of it (EventCondition, since
 *       Logstash 7.4);
 *   <li>grok's {@code match} patterns, with the {@code %{NAME}} references to {@code
 *       pattern_definitions} expanded as grok expands them: grok's register compiles each with
 *       {@code Regexp.new(expanded, Regexp::MULTILINE)} (jls-grok) and the pipeline fails with a
 *       RegexpError;
 *   <li>mutate's {@code gsub} needles without {@code %{field}} references, and gsub's shape
 *       (field, needle, replacement triples): mutate's register compiles them with
 *       {@code Regexp.new} and raises a ConfigurationError for a missing part.
 * </ul>
 *
 * Not checked: references to grok's built-in patterns (whether {@code %{FOO}} exists, which grok
 * also refuses at start-up), needles with {@code %{field}} (compiled per event), and the
 * regular expressions of other plugins (kv's split patterns, translate with {@code regex =>
 * true}).
 */
final class LogstashRegexps {

  /** jls-grok's reference: %{NAME}, %{NAME:field}, %{NAME:field:type}, %{NAME=definition}. */
  private static final Pattern GROK_REFERENCE =
      Pattern.compile("%\\{([A-Za-z0-9_]+)(:[@\\[\\]A-Za-z0-9_:.-]+)?(?:=([^{}]*))?\\}");
  /** jls-grok's limit on expansions before it gives up ("Deep recursion pattern compilation"). */
  private static final int GROK_EXPANSIONS = 10_000;
  /** Patterns are long; enough of one to find it, not a whole log format. */
  private static final int PATTERN_EXCERPT = 60;

  private LogstashRegexps() {}

  /** Why Logstash cannot compile {@code source} as a Ruby Regexp, or empty when it can. */
  static Optional<String> problem(String source, boolean multiline) {
    byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
    try {
      new Regex(bytes, 0, bytes.length, multiline ? Option.MULTILINE : Option.NONE,
          UTF8Encoding.INSTANCE, Syntax.RUBY);
      return Optional.empty();
    } catch (RuntimeException e) {
      // joni's SyntaxException and ValueException carry Oniguruma's own messages, the ones Ruby's
      // RegexpError shows.
      return Optional.of(String.valueOf(e.getMessage()));
    }
  }

  /** A problem with the regular expression right of {@code =~} or {@code !~}, as {@code written}. */
  static Optional<String> condition(String source, String written) {
    return problem(source, false).map(p -> "Logstash cannot compile the regular expression "
        + ConfigScanner.excerpt(written, PATTERN_EXCERPT) + ": " + p
        + "; it would refuse to start the pipeline");
  }

  /** A problem with one setting of a plugin that Logstash finds when it registers the plugin. */
  static Optional<String> setting(String plugin, Setting setting, Plugin whole) {
    if (plugin.equals("grok") && setting.name().equals("match")) {
      return grokMatch(setting.value(), definitions(whole));
    }
    if (plugin.equals("mutate") && setting.name().equals("gsub")) {
      return gsub(setting.value());
    }
    return Optional.empty();
  }

  private static Map<String, String> definitions(Plugin grok) {
    Map<String, String> definitions = new HashMap<>();
    grok.settings().stream().filter(s -> s.name().equals("pattern_definitions"))
        .forEach(s -> {
          if (s.value() instanceof HashValue hash) {
            for (HashEntry e : hash.entries()) {
              if (text(e.key()) != null && e.value() instanceof StringValue v) {
                definitions.put(text(e.key()), v.text());
              }
            }
          }
        });
    return definitions;
  }

  /** grok's match: { field => pattern or [patterns] }, or the older [field, pattern, ...]. */
  private static Optional<String> grokMatch(Value match, Map<String, String> definitions) {
    List<String> patterns = new ArrayList<>();
    if (match instanceof HashValue hash) {
      for (HashEntry e : hash.entries()) {
        collectStrings(e.value(), patterns);
      }
    } else if (match instanceof ArrayValue array) {
      for (int i = 1; i < array.elements().size(); i += 2) {
        collectStrings(array.elements().get(i), patterns);
      }
    }
    for (String pattern : patterns) {
      Optional<String> problem = grokPattern(pattern, definitions);
      if (problem.isPresent()) {
        return problem;
      }
    }
    return Optional.empty();
  }

  private static Optional<String> grokPattern(String pattern, Map<String, String> definitions) {
    Map<String, String> known = new HashMap<>(definitions);
    String expanded = pattern;
    for (int expansions = 0; ; expansions++) {
      Matcher m = GROK_REFERENCE.matcher(expanded);
      if (!m.find()) {
        break;
      }
      if (expansions == GROK_EXPANSIONS) {
        return Optional.of("grok cannot expand the pattern "
            + quote(ConfigScanner.excerpt(pattern, PATTERN_EXCERPT)) + ": its pattern_definitions"
            + " refer to each other in a loop; grok would refuse to start");
      }
      if (m.group(3) != null) {
        known.put(m.group(1), m.group(3));
      }
      // A built-in pattern (COMBINEDAPACHELOG, WORD, ...) stands for itself: one character.
      String body = known.getOrDefault(m.group(1), "x");
      String name = m.group(1) + (m.group(2) == null ? "" : m.group(2));
      // Logstash's grok captures only references with a field name (named_captures_only).
      String replacement = m.group(2) == null ? "(?:" + body + ")" : "(?<" + name + ">" + body + ")";
      expanded = expanded.substring(0, m.start()) + replacement + expanded.substring(m.end());
    }
    return problem(expanded, true).map(p -> "Logstash cannot compile the grok pattern "
        + quote(ConfigScanner.excerpt(pattern, PATTERN_EXCERPT)) + ": " + p
        + "; grok would refuse to start");
  }

  /** mutate's gsub: [field, needle, replacement, ...]. */
  private static Optional<String> gsub(Value value) {
    if (!(value instanceof ArrayValue array)) {
      return Optional.empty();
    }
    List<Value> parts = array.elements();
    if (parts.size() % 3 != 0) {
      return Optional.of("gsub takes triples of field, regular expression and replacement; this one"
          + " has " + parts.size() + " elements, and mutate would refuse to start");
    }
    for (int i = 1; i < parts.size(); i += 3) {
      if (parts.get(i) instanceof StringValue needle && !needle.text().contains("%{")) {
        Optional<String> problem = problem(needle.text(), false);
        if (problem.isPresent()) {
          return Optional.of("Logstash cannot compile the gsub regular expression "
              + quote(ConfigScanner.excerpt(needle.text(), PATTERN_EXCERPT)) + ": " + problem.get()
              + "; mutate would refuse to start");
        }
      }
    }
    return Optional.empty();
  }

  private static void collectStrings(Value value, List<String> out) {
    if (value instanceof StringValue s) {
      out.add(s.text());
    } else if (value instanceof ArrayValue array) {
      array.elements().forEach(v -> collectStrings(v, out));
    }
  }

  private static String text(Value key) {
    if (key instanceof StringValue s) {
      return s.text();
    }
    if (key instanceof Value.BarewordValue b) {
      return b.text();
    }
    return null;
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }
}
