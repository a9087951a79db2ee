package io.logpipeline.operator.logstash;

import static io.logpipeline.operator.logstash.ConfigScanner.isDigit;
import static io.logpipeline.operator.logstash.ConfigScanner.isNameChar;
import static io.logpipeline.operator.logstash.ConfigScanner.isSpace;
import static io.logpipeline.operator.logstash.ConfigScanner.isWordStart;
import static io.logpipeline.operator.logstash.ConfigScanner.quoted;

import io.logpipeline.operator.logstash.Condition.BooleanOperator;
import io.logpipeline.operator.logstash.Expression.Comparison;
import io.logpipeline.operator.logstash.Expression.FieldReference;
import io.logpipeline.operator.logstash.Expression.Negation;
import io.logpipeline.operator.logstash.Expression.Operand;
import io.logpipeline.operator.logstash.Expression.Operator;
import io.logpipeline.operator.logstash.Expression.RegexValue;
import io.logpipeline.operator.logstash.Value.ArrayValue;
import io.logpipeline.operator.logstash.Value.BarewordValue;
import io.logpipeline.operator.logstash.Value.HashEntry;
import io.logpipeline.operator.logstash.Value.HashValue;
import io.logpipeline.operator.logstash.Value.NumberValue;
import io.logpipeline.operator.logstash.Value.StringValue;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Logstash's pipeline configuration language as Logstash itself does, so that the operator
 * refuses a filter Logstash would refuse and can say where the problem is. The rules follow the
 * treetop grammar Logstash compiles pipelines with ({@code
 * logstash-core/lib/logstash/compiler/lscl/lscl_grammar.treetop}), including its surprises:
 * settings and hash entries are separated by whitespace, never commas; a bareword has at least
 * two characters; {@code \"} inside a string is always an escaped quote, so a string cannot end
 * with a backslash; barewords are not allowed in conditions; {@code not in} needs a space.
 *
 * <p>Where Logstash versions differ, the parser takes the rule every Logstash 8 release accepts
 * (the OpenSearch image is 8.9): before 8.14 a comment may not stand between two hash entries and
 * must end with a line break.
 *
 * <p>It also refuses what the grammar reads but Logstash refuses when it starts the pipeline, each
 * message saying so; where in Logstash's code:
 * <ul>
 *   <li>duplicate keys in one hash: {@code lscl.rb}, {@code Hash#validate!} raises a
 *       ConfigurationError;
 *   <li>{@code xor} or {@code nand} next to another boolean operator without parentheses: {@code
 *       lscl.rb}, {@code Condition#precedence} ranks only {@code and} and {@code or} and raises an
 *       ArgumentError for the others;
 *   <li>a second {@code else}, and plugins called {@code input}, {@code filter}, {@code output},
 *       {@code if} or {@code else}, or quoted plugin names: the grammar reads them as plugins of
 *       that name (or not at all), and the plugin registry finds none;
 *   <li>a regular expression {@code /.../} that stands alone or is compared with {@code ==},
 *       {@code <} and the like, and a number or an array left of {@code =~}: {@code lscl.rb}'s
 *       {@code Expression}, {@code ComparisonExpression} and {@code RegexpExpression} keep no
 *       such operand and fail (logstash#8775);
 *   <li>a regular expression that Oniguruma cannot compile, in a condition, a grok pattern or a
 *       mutate gsub: see {@link LogstashRegexps}.
 * </ul>
 * One rule goes further than a refusal at start-up: method calls in conditions, which {@code
 * lscl.rb} leaves "Not implemented" (it refuses those without a field inside and silently reads
 * {@code f([a])} as {@code [a]}).
 */
public final class LogstashParser {

  /** How deep blocks, values and parentheses may nest: keeps the parser's stack bounded. */
  static final int MAX_DEPTH = 100;

  private static final Set<String> SECTIONS = Set.of("input", "filter", "output");

  private final ConfigScanner in;
  private final boolean filterBody;
  private int depth;
  /** Where each setting's value starts, for the messages of {@link LogstashRegexps}. */
  private final Map<Setting, Integer> valueStarts = new IdentityHashMap<>();
  /** End of the last string that contained an escaped quote, for a hint when a string ran on. */
  private int escapedQuoteStringEnd = -1;

  private LogstashParser(String text, boolean filterBody) {
    // The operator appends a line break after the body, so a final comment needs none there.
    this.in = new ConfigScanner(Objects.requireNonNull(text, "text"), filterBody);
    this.filterBody = filterBody;
  }

  /**
   * Parses what goes between <code>filter {</code> and its closing <code>}</code>: plugins and
   * conditionals, or nothing but whitespace and comments.
   *
   * @throws LogstashSyntaxException at the first thing Logstash would refuse
   */
  public static FilterBody parseFilterBody(String text) throws LogstashSyntaxException {
    LogstashParser parser = new LogstashParser(text, true);
    return new FilterBody(parser.statements(-1, null));
  }

  /**
   * Parses a whole pipeline file: any number of {@code input}, {@code filter} and {@code
   * output} sections.
   *
   * @throws LogstashSyntaxException at the first thing Logstash would refuse
   */
  public static PipelineConfig parsePipeline(String text) throws LogstashSyntaxException {
    return new LogstashParser(text, false).pipeline();
  }

  // ------------------------------------------------------------------ sections and statements

  private PipelineConfig pipeline() throws LogstashSyntaxException {
    List<PipelineConfig.Section> sections = new ArrayList<>();
    in.skipSpaceAndComments();
    while (!in.atEnd()) {
      int start = in.pos;
      String type = in.nameAt(start);
      if (!SECTIONS.contains(type)) {
        throw in.error(start, "expected 'input', 'filter' or 'output', found " + in.found(start));
      }
      int line = in.line(start);
      in.pos += type.length();
      in.skipSpaceAndComments();
      if (!in.at('{')) {
        throw in.error(in.pos, "expected '{' after '" + type + "', found " + in.found(in.pos));
      }
      int open = in.pos++;
      enter(open);
      List<Statement> body = statements(open, "the '" + type + "' section");
      leave();
      sections.add(new PipelineConfig.Section(type, body, line));
      in.skipSpaceAndComments();
    }
    return new PipelineConfig(sections);
  }

  /**
   * Statements up to the '}' that closes the block opened at {@code open}, which this consumes;
   * with {@code open < 0}, up to the end of the text.
   */
  private List<Statement> statements(int open, String owner) throws LogstashSyntaxException {
    List<Statement> out = new ArrayList<>();
    in.skipSpaceAndComments();
    while (true) {
      if (in.atEnd()) {
        if (open < 0) {
          return out;
        }
        throw in.error(in.pos, "expected '}' to close " + owner + " opened at "
            + in.where(open) + ", found end of input");
      }
      if (in.at('}')) {
        if (open < 0) {
          throw in.error(in.pos, "unexpected '}': no block is open here" + (filterBody
              ? " (spec.indexer.filter is the body of the filter section, without its closing '}')"
              : ""));
        }
        in.pos++;
        return out;
      }
      out.add(statement());
      in.skipSpaceAndComments();
    }
  }

  private Statement statement() throws LogstashSyntaxException {
    int start = in.pos;
    int c = in.charAt(start);
    if (isNameChar(c)) {
      String name = in.nameAt(start);
      if (name.equals("if")) {
        in.pos += 2;
        return conditional(start);
      }
      if (name.equals("else")) {
        // The grammar's branch is `if (cs else_if)* (cs else)?`: a second 'else' is read as a
        // plugin named "else", which does not exist, or is a syntax error.
        throw in.error(start, "'else' without 'if': an 'else' must follow the '}' that closes an"
            + " 'if' or 'else if' block, and an 'if' has at most one 'else'; Logstash refuses it"
            + " at start-up");
      }
      if (SECTIONS.contains(name)) {
        throw in.error(start, misplacedSection(name));
      }
      in.pos += name.length();
      return plugin(name, start);
    }
    if (c == '"' || c == '\'') {
      // The grammar takes a quoted plugin name, but Logstash then looks for a plugin whose name
      // includes the quotes, and finds none.
      throw in.error(start, "expected a plugin name or 'if', found " + in.found(start)
          + "; plugin names are written without quotes (Logstash would look for a plugin whose name"
          + " includes them and refuse to start)");
    }
    throw in.error(start, "expected a plugin name or 'if', found " + in.found(start));
  }

  private String misplacedSection(String name) {
    if (!filterBody) {
      return "'" + name + "' is a section and cannot be used inside another section";
    }
    if (name.equals("filter")) {
      return "spec.indexer.filter is the body of the filter section:"
          + " leave out 'filter {' and its closing '}'";
    }
    return "spec.indexer.filter is the body of the filter section and cannot contain an '" + name
        + "' section: the operator writes the pipeline's input and output";
  }

  // ------------------------------------------------------------------ plugins and settings

  /** A plugin whose name ends at the current position. */
  private Plugin plugin(String name, int start) throws LogstashSyntaxException {
    int line = in.line(start);
    in.skipSpaceAndComments();
    if (!in.at('{')) {
      String hint = in.startsWith("=>")
          ? "; settings belong inside a plugin block such as mutate { ... }" : "";
      throw in.error(in.pos, "expected '{' after plugin name " + quoted(name) + ", found "
          + in.found(in.pos) + hint);
    }
    int open = in.pos++;
    enter(open);
    List<Setting> settings = settings(open, name);
    leave();
    Plugin plugin = new Plugin(name, settings, line);
    for (Setting setting : settings) {
      Optional<String> problem = LogstashRegexps.setting(name, setting, plugin);
      if (problem.isPresent()) {
        throw in.error(valueStarts.get(setting), problem.get());
      }
    }
    return plugin;
  }

  /** Settings up to and including the '}' of the plugin block opened at {@code open}. */
  private List<Setting> settings(int open, String plugin) throws LogstashSyntaxException {
    List<Setting> out = new ArrayList<>();
    in.skipSpaceAndComments();
    if (closes('}')) {
      return out;
    }
    while (true) {
      out.add(setting(plugin));
      int afterValue = in.pos;
      in.skipSpaceAndComments();
      if (in.atEnd()) {
        throw in.error(in.pos, "expected '}' to close plugin " + quoted(plugin) + " opened at "
            + in.where(open) + ", found end of input");
      }
      if (closes('}')) {
        return out;
      }
      // The grammar's `attribute (whitespace cs attribute)*`: the next setting needs whitespace
      // right after the value; a comment alone does not separate two settings.
      separator(afterValue, "the value of setting " + quoted(out.get(out.size() - 1).name()),
          "settings");
    }
  }

  private Setting setting(String plugin) throws LogstashSyntaxException {
    int start = in.pos;
    int c = in.charAt(start);
    String name;
    if (isNameChar(c)) {
      name = in.nameAt(start);
      in.pos += name.length();
    } else if (c == '"' || c == '\'') {
      name = string();
    } else {
      throw in.error(start, "expected a setting name or '}' in plugin " + quoted(plugin)
          + ", found " + in.found(start) + commaHint(start, "settings"));
    }
    int line = in.line(start);
    in.skipSpaceAndComments();
    if (!in.startsWith("=>")) {
      throw in.error(in.pos, "expected '=>' after setting name " + quoted(name) + ", found "
          + in.found(in.pos));
    }
    in.pos += 2;
    in.skipSpaceAndComments();
    int valueStart = in.pos;
    Setting setting = new Setting(name, value("setting " + quoted(name)), line);
    valueStarts.put(setting, valueStart);
    return setting;
  }

  /**
   * Checks what separates two settings or two hash entries, once it is known that another one
   * follows: whitespace right after the previous value, and no comment.
   */
  private void separator(int afterValue, String previous, String things)
      throws LogstashSyntaxException {
    int c = in.charAt(afterValue);
    if (c == ',') {
      throw in.error(afterValue, "unexpected ',' after " + previous + ": Logstash separates "
          + things + " with spaces or line breaks, not commas");
    }
    if (c == '#') {
      throw in.error(afterValue, "a '#' comment right after " + previous + " needs a space"
          + " before it when more " + things + " follow");
    }
    if (!isSpace(c)) {
      throw in.error(afterValue, "expected a space, a line break or '}' after " + previous
          + ", found " + in.found(afterValue) + ranOnHint(afterValue));
    }
  }

  private String commaHint(int at, String things) {
    return in.charAt(at) == ',' ? "; Logstash separates " + things + " with spaces or line"
        + " breaks, not commas" : "";
  }

  /** A hint for an error right after a string that swallowed the quote meant to close it. */
  private String ranOnHint(int at) {
    return at == escapedQuoteStringEnd ? " (the string before it contains \\\" or \\', which"
        + " Logstash reads as an escaped quote, so a string cannot end with a backslash)" : "";
  }

  // ------------------------------------------------------------------ values

  /** Logstash's {@code value}: plugin / bareword / string / number / array / hash. */
  private Value value(String what) throws LogstashSyntaxException {
    int start = in.pos;
    int c = in.charAt(start);
    if (isNameChar(c)) {
      String name = in.nameAt(start);
      if (in.charAt(in.afterSpaceAndComments(start + name.length())) == '{') {
        // The grammar tries `plugin` first: a name followed by a block is a codec.
        in.pos += name.length();
        return plugin(name, start);
      }
      if (isWordStart(c)) {
        return bareword(what);
      }
      NumberValue number = new NumberValue(number(what));
      int next = in.charAt(in.pos);
      if (isNameChar(next) || next == '.') {
        throw in.error(in.pos, "unexpected " + in.found(in.pos) + " after the number "
            + number.text() + "; quote the value if it is not a number");
      }
      return number;
    }
    if (c == '"' || c == '\'') {
      String text = string();
      if (in.charAt(in.afterSpaceAndComments(in.pos)) == '{') {
        throw in.error(start, "a plugin name must not be quoted: Logstash would look for a plugin"
            + " whose name includes the quotes and refuse to start");
      }
      return new StringValue(text);
    }
    if (c == '[') {
      return array();
    }
    if (c == '{') {
      return hash();
    }
    if (c == '/') {
      throw in.error(start, "expected a value for " + what + ", found '/': regular expressions"
          + " /.../ are only allowed in conditions, write a string here");
    }
    throw in.error(start, "expected a value for " + what + " (a string, number, bareword, array,"
        + " hash or plugin), found " + in.found(start));
  }

  private BarewordValue bareword(String what) throws LogstashSyntaxException {
    int start = in.pos;
    String word = in.wordAt(start);
    if (word.length() < 2) {
      throw in.error(start, "expected a value for " + what + ", found " + in.found(start)
          + "; a bareword needs at least two characters, so quote it: \"" + word + "\"");
    }
    in.pos += word.length();
    checkWordEnd(word);
    return new BarewordValue(word);
  }

  /** Fails on a character that no rule accepts right after a bareword, with a hint to quote. */
  private void checkWordEnd(String word) throws LogstashSyntaxException {
    int next = in.charAt(in.pos);
    if (next == '-' || next == '.' || next == ':' || next == '/' || next == '@' || next > 127) {
      throw in.error(in.pos, "unexpected " + in.found(in.pos) + " after the bareword "
          + quoted(word) + ": barewords may only contain letters, digits and '_', so quote it");
    }
  }

  /** Logstash's {@code number}: {@code -? [0-9]+ ("." [0-9]*)?}, as written. */
  private String number(String what) throws LogstashSyntaxException {
    int start = in.pos;
    int p = start;
    if (in.charAt(p) == '-') {
      p++;
    }
    if (!isDigit(in.charAt(p))) {
      throw in.error(start, "expected a value for " + what + ", found " + in.found(start));
    }
    while (isDigit(in.charAt(p))) {
      p++;
    }
    if (in.charAt(p) == '.') {
      p++;
      while (isDigit(in.charAt(p))) {
        p++;
      }
    }
    in.pos = p;
    return in.text.substring(start, p);
  }

  /**
   * A quoted string at the current position; returns what stands between the quotes. As in the
   * grammar, a backslash followed by the quote character escapes it and anything else is taken
   * as it is, line breaks included.
   */
  private String string() throws LogstashSyntaxException {
    int open = in.pos;
    char quote = in.text.charAt(open);
    boolean escapedQuote = false;
    int p = open + 1;
    while (p < in.text.length()) {
      char c = in.text.charAt(p);
      if (c == '\\' && in.charAt(p + 1) == quote) {
        escapedQuote = true;
        p += 2;
      } else if (c == quote) {
        in.pos = p + 1;
        if (escapedQuote) {
          escapedQuoteStringEnd = in.pos;
        }
        return in.text.substring(open + 1, p);
      } else {
        p++;
      }
    }
    throw in.error(open, "unterminated string: the " + (quote == '"' ? "double" : "single")
        + " quote here is never closed" + (escapedQuote ? "; \\" + quote + " inside a string is"
        + " an escaped quote, so a string cannot end with a backslash" : ""));
  }

  private ArrayValue array() throws LogstashSyntaxException {
    int open = in.pos++;
    enter(open);
    List<Value> elements = new ArrayList<>();
    in.skipSpaceAndComments();
    if (!closes(']')) {
      while (true) {
        elements.add(value("an array element"));
        int afterValue = in.pos;
        in.skipSpaceAndComments();
        if (closes(']')) {
          break;
        }
        if (!in.at(',')) {
          throw in.error(in.pos, "expected ',' or ']' in the array opened at " + in.where(open)
              + ", found " + in.found(in.pos) + ranOnHint(afterValue));
        }
        in.pos++;
        in.skipSpaceAndComments();
        if (in.at(']')) {
          throw in.error(in.pos, "expected a value after ',' in the array opened at "
              + in.where(open) + ", found ']'; Logstash does not allow a trailing comma");
        }
      }
    }
    leave();
    return new ArrayValue(elements);
  }

  private HashValue hash() throws LogstashSyntaxException {
    int open = in.pos++;
    enter(open);
    List<HashEntry> entries = new ArrayList<>();
    // Logstash compares keys as written: "a" and 'a' are different keys to it.
    Set<String> keys = new HashSet<>();
    in.skipSpaceAndComments();
    if (!closes('}')) {
      while (true) {
        int keyStart = in.pos;
        Value key = hashKey();
        String written = in.text.substring(keyStart, in.pos);
        if (!keys.add(written)) {
          throw in.error(keyStart, "duplicate key " + ConfigScanner.excerpt(written)
              + " in the hash opened at " + in.where(open) + "; Logstash refuses repeated keys at"
              + " start-up");
        }
        in.skipSpaceAndComments();
        if (!in.startsWith("=>")) {
          throw in.error(in.pos, "expected '=>' after hash key " + ConfigScanner.excerpt(written)
              + ", found " + in.found(in.pos));
        }
        in.pos += 2;
        in.skipSpaceAndComments();
        entries.add(new HashEntry(key, value("hash key " + ConfigScanner.excerpt(written))));
        int afterValue = in.pos;
        while (isSpace(in.charAt(in.pos))) {
          in.pos++;
        }
        int afterSpace = in.pos;
        in.skipSpaceAndComments();
        if (in.atEnd()) {
          throw in.error(in.pos, "expected '}' to close the hash opened at " + in.where(open)
              + ", found end of input");
        }
        if (closes('}')) {
          break;
        }
        if (in.pos != afterSpace) {
          // Before 8.14 the grammar read `hashentry (whitespace hashentry)*`.
          throw in.error(afterSpace, "Logstash before 8.14 refuses a comment between two hash"
              + " entries; move it above the first entry or below the last");
        }
        separator(afterValue, "the value of hash key " + ConfigScanner.excerpt(written),
            "hash entries");
      }
    }
    leave();
    return new HashValue(entries);
  }

  /** Logstash's hash key: number / bareword / string. */
  private Value hashKey() throws LogstashSyntaxException {
    int start = in.pos;
    int c = in.charAt(start);
    if (c == '"' || c == '\'') {
      return new StringValue(string());
    }
    if (c == '-' || isDigit(c)) {
      return new NumberValue(number("a hash key"));
    }
    if (isWordStart(c)) {
      String word = in.wordAt(start);
      if (word.length() < 2) {
        throw in.error(start, "a bareword hash key needs at least two characters, so quote it: \""
            + word + "\"");
      }
      in.pos += word.length();
      checkWordEnd(word);
      return new BarewordValue(word);
    }
    throw in.error(start, "expected a hash key (a string, number or bareword) or '}', found "
        + in.found(start) + commaHint(start, "hash entries"));
  }

  // ------------------------------------------------------------------ conditionals

  /** An if/else-if/else chain whose {@code if} started at {@code start} and was consumed. */
  private Conditional conditional(int start) throws LogstashSyntaxException {
    int line = in.line(start);
    List<Conditional.Branch> branches = new ArrayList<>();
    branches.add(branch(start, "if"));
    List<Statement> elseBody = List.of();
    while (true) {
      int elseAt = in.afterSpaceAndComments(in.pos);
      if (!in.text.startsWith("else", elseAt)) {
        break;
      }
      int next = in.afterSpaceAndComments(elseAt + 4);
      boolean elseIf = in.nameAt(next).equals("if");
      if (!elseIf && in.charAt(next) != '{') {
        if (isNameChar(in.charAt(elseAt + 4))) {
          break; // a plugin whose name starts with "else"
        }
        throw in.error(next, "expected 'if' or '{' after 'else', found " + in.found(next));
      }
      in.skipSpaceAndComments();
      in.pos += 4;
      in.skipSpaceAndComments();
      if (elseIf) {
        in.pos += 2;
        branches.add(branch(elseAt, "else if"));
        continue;
      }
      int open = in.pos++;
      enter(open);
      elseBody = statements(open, "the 'else' block");
      leave();
      break;
    }
    return new Conditional(branches, elseBody, line);
  }

  /** The condition and block after an {@code if} or {@code else if} that was consumed. */
  private Conditional.Branch branch(int start, String keyword) throws LogstashSyntaxException {
    int line = in.line(start);
    in.skipSpaceAndComments();
    if (in.atEnd() || in.at('{')) {
      throw in.error(in.pos, "expected a condition after '" + keyword + "', found "
          + in.found(in.pos));
    }
    Condition condition = condition("'" + keyword + "'");
    in.skipSpaceAndComments();
    if (!in.at('{')) {
      throw in.error(in.pos, "expected '{' after the condition of '" + keyword + "', found "
          + in.found(in.pos) + operatorHint(in.pos));
    }
    int open = in.pos++;
    enter(open);
    List<Statement> body = statements(open, "the '" + keyword + "' block");
    leave();
    return new Conditional.Branch(condition, body, line);
  }

  private String operatorHint(int at) {
    String word = in.nameAt(at);
    if (in.text.startsWith("&&", at) || word.equals("AND")) {
      return "; write 'and'";
    }
    if (in.text.startsWith("||", at) || word.equals("OR")) {
      return "; write 'or'";
    }
    if (word.equals("not")) {
      return "; write 'not in' with one space after 'not'";
    }
    if (in.charAt(at) == '=') {
      return "; compare with '=='";
    }
    return "";
  }

  /**
   * Logstash's {@code condition}: expressions joined by boolean operators, read left to right.
   *
   * @param after what precedes the condition, for messages ("'if'", "'('")
   */
  private Condition condition(String after) throws LogstashSyntaxException {
    List<Expression> operands = new ArrayList<>();
    List<BooleanOperator> operators = new ArrayList<>();
    int firstXorOrNand = -1;
    operands.add(expression(after));
    while (true) {
      int at = in.afterSpaceAndComments(in.pos);
      BooleanOperator op = booleanOperatorAt(at);
      if (op == null) {
        break;
      }
      if ((op == BooleanOperator.XOR || op == BooleanOperator.NAND) && firstXorOrNand < 0) {
        firstXorOrNand = at;
      }
      operators.add(op);
      // lscl.rb ranks only 'and' and 'or' (Condition#precedence): compiling a condition with
      // two operators raises ArgumentError as soon as one of them is 'xor' or 'nand'.
      if (operators.size() >= 2 && firstXorOrNand >= 0) {
        throw in.error(firstXorOrNand, "Logstash cannot compile '"
            + in.nameAt(firstXorOrNand) + "' next to another boolean operator in one condition"
            + " and refuses to start; put parentheses around one side");
      }
      in.skipSpaceAndComments();
      in.pos += op.word().length();
      in.skipSpaceAndComments();
      operands.add(expression("'" + op.word() + "'"));
    }
    return new Condition(operands, operators);
  }

  /** The grammar matches the words as prefixes, in this order, without a word boundary. */
  private BooleanOperator booleanOperatorAt(int at) {
    for (BooleanOperator op : BooleanOperator.values()) {
      if (in.text.startsWith(op.word(), at)) {
        return op;
      }
    }
    return null;
  }

  /** Logstash's {@code expression}. */
  private Expression expression(String after) throws LogstashSyntaxException {
    int start = in.pos;
    int c = in.charAt(start);
    if (c == '(') {
      return group();
    }
    if (c == '!') {
      in.pos++;
      in.skipSpaceAndComments();
      if (in.at('(')) {
        return new Negation(group());
      }
      FieldReference ref = in.at('[') ? fieldReference() : null;
      if (ref == null) {
        throw in.error(in.pos, "expected a field reference like [field] or '(' after '!', found "
            + in.found(in.pos));
      }
      return new Negation(ref);
    }
    Operand left = operand(after);
    int at = in.afterSpaceAndComments(in.pos);
    Operator op = operatorAt(at);
    if (op == null) {
      if (left instanceof RegexValue) {
        // lscl.rb's Expression#expr finds no field or condition in it: "Exprs should only have
        // one part!"
        throw in.error(start, "a regular expression /.../ cannot stand alone in a condition:"
            + " match a field with it, e.g. [message] =~ /.../; Logstash refuses it at start-up");
      }
      if (in.text.startsWith("not", at) && isSpace(in.charAt(at + 3))) {
        throw in.error(at, "write 'not in' with one space after 'not': Logstash's grammar"
            + " matches \"not \" literally");
      }
      return left;
    }
    in.skipSpaceAndComments();
    boolean regexOp = op == Operator.MATCH || op == Operator.NOT_MATCH;
    boolean inOp = op == Operator.IN || op == Operator.NOT_IN;
    if (regexOp && !(left instanceof FieldReference || left instanceof StringValue
        || left instanceof RegexValue)) {
      // lscl.rb's RegexpExpression keeps only field references, strings and regular expressions
      // of its operands; without a left one it raises "Expected a regexp".
      throw in.error(start, "the left side of '" + op.symbol() + "' must be a field reference"
          + " like [message] (or a string): Logstash refuses a number or an array there at start-up");
    }
    if (!regexOp && !inOp && left instanceof RegexValue) {
      throw in.error(start, regexCompared(op));
    }
    if (op == Operator.NOT_IN) {
      in.pos += 4;
      in.skipSpaceAndComments();
      if (!in.startsWith("in")) {
        throw in.error(in.pos, "expected 'in' after 'not', found " + in.found(in.pos));
      }
      in.pos += 2;
    } else {
      in.pos += op.symbol().length();
    }
    in.skipSpaceAndComments();
    int rightAt = in.pos;
    Operand right;
    if (regexOp) {
      if (in.at('"') || in.at('\'')) {
        right = new StringValue(string());
      } else if (in.at('/')) {
        right = regex();
      } else {
        throw in.error(rightAt, "expected a regular expression /.../ or a string after '"
            + op.symbol() + "', found " + in.found(rightAt));
      }
      String source = right instanceof RegexValue r ? r.pattern() : ((StringValue) right).text();
      Optional<String> problem =
          LogstashRegexps.condition(source, in.text.substring(rightAt, in.pos));
      if (problem.isPresent()) {
        throw in.error(rightAt, problem.get());
      }
    } else {
      right = operand("'" + op.symbol() + "'");
      if (!inOp && right instanceof RegexValue) {
        throw in.error(rightAt, regexCompared(op));
      }
    }
    return new Comparison(left, op, right);
  }

  /**
   * lscl.rb's ComparisonExpression leaves a regular expression out of its operands, so the
   * comparison misses one and Logstash fails to start (logstash#8775).
   */
  private static String regexCompared(Operator op) {
    return "a regular expression /.../ can only be matched with '=~' or '!~' (or looked up with"
        + " 'in'); with '" + op.symbol() + "' Logstash refuses it at start-up";
  }

  /** The operator at {@code at}, tried in the grammar's order: in, not in, compare, regexp. */
  private Operator operatorAt(int at) {
    String t = in.text;
    if (t.startsWith("in", at)) {
      return Operator.IN;
    }
    if (t.startsWith("not ", at)) {
      return Operator.NOT_IN;
    }
    for (Operator op : new Operator[] {Operator.EQ, Operator.NE, Operator.LE, Operator.GE,
        Operator.LT, Operator.GT, Operator.MATCH, Operator.NOT_MATCH}) {
      if (t.startsWith(op.symbol(), at)) {
        return op;
      }
    }
    return null;
  }

  /** {@code ( condition )} at the current position. */
  private Condition group() throws LogstashSyntaxException {
    int open = in.pos++;
    enter(open);
    in.skipSpaceAndComments();
    if (in.at(')')) {
      throw in.error(in.pos, "expected a condition after '(', found ')'");
    }
    Condition condition = condition("'('");
    in.skipSpaceAndComments();
    if (!closes(')')) {
      throw in.error(in.pos, "expected ')' to close the '(' at " + in.where(open) + ", found "
          + in.found(in.pos) + operatorHint(in.pos));
    }
    leave();
    return condition;
  }

  /** Logstash's {@code rvalue}: string / number / selector / array / method call / regexp. */
  private Operand operand(String after) throws LogstashSyntaxException {
    int start = in.pos;
    int c = in.charAt(start);
    if (c == '"' || c == '\'') {
      return new StringValue(string());
    }
    if (isDigit(c) || (c == '-' && isDigit(in.charAt(start + 1)))) {
      return new NumberValue(number(after));
    }
    if (c == '[') {
      FieldReference ref = fieldReference();
      return ref != null ? ref : array();
    }
    if (c == '/') {
      return regex();
    }
    if (isWordStart(c)) {
      String word = in.wordAt(start);
      if (word.length() >= 2
          && in.charAt(in.afterSpaceAndComments(start + word.length())) == '(') {
        // The grammar has method calls, but lscl.rb leaves them "Not implemented": it refuses
        // one without a field inside at start-up, and reads one with a field as the field alone.
        throw in.error(start, "method calls such as " + ConfigScanner.excerpt(word)
            + "(...) are not implemented by Logstash: it refuses most at start-up and ignores"
            + " the method in the others");
      }
      throw in.error(start, "expected a field reference like [field], a string, a number or an"
          + " array after " + after + ", found " + in.found(start)
          + "; barewords are not allowed in conditions, quote it");
    }
    throw in.error(start, "expected a field reference like [field], a string, a number or an"
        + " array after " + after + ", found " + in.found(start));
  }

  /**
   * Logstash's {@code selector}: one or more {@code [...]} whose insides hold no brackets or
   * commas. Returns null, consuming nothing, when the first element does not match; the caller
   * then reads an array, as the grammar does ({@code ["a"]} is a field called {@code "a"}, while
   * {@code ["a", "b"]} is an array).
   */
  private FieldReference fieldReference() {
    List<String> path = new ArrayList<>();
    String t = in.text;
    int p = in.pos;
    while (p < t.length() && t.charAt(p) == '[') {
      int q = p + 1;
      while (q < t.length() && t.charAt(q) != '[' && t.charAt(q) != ']' && t.charAt(q) != ',') {
        q++;
      }
      if (q == p + 1 || q >= t.length() || t.charAt(q) != ']') {
        break;
      }
      path.add(t.substring(p + 1, q));
      p = q + 1;
    }
    if (path.isEmpty()) {
      return null;
    }
    in.pos = p;
    return new FieldReference(path);
  }

  /** Logstash's {@code regexp}: {@code /.../} where {@code \/} does not end it. */
  private RegexValue regex() throws LogstashSyntaxException {
    int open = in.pos;
    int p = open + 1;
    while (p < in.text.length()) {
      char c = in.text.charAt(p);
      if (c == '\\' && in.charAt(p + 1) == '/') {
        p += 2;
      } else if (c == '/') {
        in.pos = p + 1;
        return new RegexValue(in.text.substring(open + 1, p));
      } else {
        p++;
      }
    }
    throw in.error(open, "unterminated regular expression: the '/' here is never closed"
        + " (write \\/ for a slash inside it)");
  }

  // ------------------------------------------------------------------ shared

  private boolean closes(char closer) {
    if (in.at(closer)) {
      in.pos++;
      return true;
    }
    return false;
  }

  private void enter(int at) throws LogstashSyntaxException {
    if (++depth > MAX_DEPTH) {
      throw in.error(at, "nested more than " + MAX_DEPTH + " levels deep");
    }
  }

  private void leave() {
    depth--;
  }
}
