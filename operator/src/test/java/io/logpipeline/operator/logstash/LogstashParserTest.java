package io.logpipeline.operator.logstash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import io.logpipeline.operator.logstash.Condition.BooleanOperator;
import io.logpipeline.operator.logstash.Expression.Comparison;
import io.logpipeline.operator.logstash.Expression.FieldReference;
import io.logpipeline.operator.logstash.Expression.Negation;
import io.logpipeline.operator.logstash.Expression.Operator;
import io.logpipeline.operator.logstash.Expression.RegexValue;
import io.logpipeline.operator.logstash.Value.ArrayValue;
import io.logpipeline.operator.logstash.Value.BarewordValue;
import io.logpipeline.operator.logstash.Value.HashEntry;
import io.logpipeline.operator.logstash.Value.HashValue;
import io.logpipeline.operator.logstash.Value.NumberValue;
import io.logpipeline.operator.logstash.Value.StringValue;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LogstashParserTest {

  private static FilterBody parse(String text) throws LogstashSyntaxException {
    return LogstashParser.parseFilterBody(text);
  }

  private static Plugin onlyPlugin(String text) throws LogstashSyntaxException {
    List<Statement> statements = parse(text).statements();
    assertThat(statements).hasSize(1);
    return (Plugin) statements.get(0);
  }

  private static Condition condition(String condition) throws LogstashSyntaxException {
    Conditional c = (Conditional) parse("if " + condition + " { drop {} }").statements().get(0);
    return c.branches().get(0).condition();
  }

  /** The single expression of a condition without boolean operators. */
  private static Expression expression(String condition) throws LogstashSyntaxException {
    Condition c = condition(condition);
    assertThat(c.operators()).isEmpty();
    return c.operands().get(0);
  }

  private static LogstashSyntaxException rejected(String text) {
    return catchThrowableOfType(LogstashSyntaxException.class, () -> parse(text));
  }

  // ------------------------------------------------------------------ plugins and values

  @Nested
  class Plugins {

    @Test
    void readsNamesSettingsAndLines() throws Exception {
      FilterBody body = parse("\n# first\ngrok {\n  match => { \"message\" => \"%{WORD:w}\" }\n}\n"
          + "mutate { add_tag => [\"a\"] }\n");

      assertThat(body.plugins()).extracting(Plugin::name, Plugin::line)
          .containsExactly(tuple("grok", 3),
              tuple("mutate", 6));
      Plugin grok = body.plugins().get(0);
      assertThat(grok.settings()).extracting(Setting::name, Setting::line)
          .containsExactly(tuple("match", 4));
      assertThat(grok.setting("match")).contains(new HashValue(List.of(
          new HashEntry(new StringValue("message"), new StringValue("%{WORD:w}")))));
    }

    @Test
    void emptyBodiesAndBodiesOfCommentsHaveNoStatements() throws Exception {
      assertThat(parse("").statements()).isEmpty();
      assertThat(parse(" \n\t\r\n").statements()).isEmpty();
      assertThat(parse("# only\n   # comments").statements()).isEmpty();
    }

    @Test
    void needNoSeparatorBetweenThemselves() throws Exception {
      assertThat(parse("drop{}drop{}if [a]{drop{}}drop{}").plugins()).hasSize(4);
    }

    @Test
    void takeQuotedSettingNamesWithoutTheirQuotes() throws Exception {
      Plugin p = onlyPlugin("mutate { \"add_tag\" => \"x\" 'remove_tag' => \"y\" }");
      assertThat(p.settings()).extracting(Setting::name).containsExactly("add_tag", "remove_tag");
    }

    @Test
    void takeNamesWithDigitsAndDashes() throws Exception {
      assertThat(onlyPlugin("my-filter_2 { x-y => 1 }").settings().get(0).name())
          .isEqualTo("x-y");
    }

    @Test
    void keepRepeatedSettingsInOrder() throws Exception {
      Plugin p = onlyPlugin("grok { match => { \"a\" => \"1\" } match => { \"b\" => \"2\" } }");
      assertThat(p.settings()).hasSize(2);
      assertThat(p.setting("match").get()).isEqualTo(
          new HashValue(List.of(new HashEntry(new StringValue("a"), new StringValue("1")))));
    }

    @Test
    void takeAPluginAsASettingsValue() throws Exception {
      Plugin p = onlyPlugin("example { codec => json_lines { charset => \"UTF-8\" } }");
      Plugin codec = (Plugin) p.setting("codec").get();
      assertThat(codec.name()).isEqualTo("json_lines");
      assertThat(codec.setting("charset")).contains(new StringValue("UTF-8"));
    }
  }

  @Nested
  class Values {

    private Value value(String text) throws LogstashSyntaxException {
      return onlyPlugin("p { v => " + text + " }").setting("v").get();
    }

    @Test
    void keepStringsAsWrittenBetweenTheQuotes() throws Exception {
      // Logstash passes backslashes on unless config.support_escapes is set.
      assertThat(value("\"a\\\"b\\\\c\\n\"")).isEqualTo(new StringValue("a\\\"b\\\\c\\n"));
      assertThat(value("'it\\'s \"quoted\"'")).isEqualTo(new StringValue("it\\'s \"quoted\""));
      assertThat(value("\"two\nlines\"")).isEqualTo(new StringValue("two\nlines"));
      assertThat(value("\"\"")).isEqualTo(new StringValue(""));
    }

    @Test
    void readNumbersAsTheGrammarDoes() throws Exception {
      assertThat(value("42")).isEqualTo(new NumberValue("42"));
      assertThat(value("-7")).isEqualTo(new NumberValue("-7"));
      assertThat(value("1.5")).isEqualTo(new NumberValue("1.5"));
      assertThat(value("120.")).isEqualTo(new NumberValue("120."));
    }

    @Test
    void readBarewords() throws Exception {
      assertThat(value("true")).isEqualTo(new BarewordValue("true"));
      assertThat(value("_x9")).isEqualTo(new BarewordValue("_x9"));
    }

    @Test
    void readArraysOfAnyValues() throws Exception {
      assertThat(value("[ \"a\", 1, json , [ ], { k1 => 2 } ]")).isEqualTo(new ArrayValue(List.of(
          new StringValue("a"), new NumberValue("1"), new BarewordValue("json"),
          new ArrayValue(List.of()),
          new HashValue(List.of(new HashEntry(new BarewordValue("k1"), new NumberValue("2")))))));
      assertThat(value("[]")).isEqualTo(new ArrayValue(List.of()));
    }

    @Test
    void readHashesWithStringBarewordAndNumberKeys() throws Exception {
      HashValue hash = (HashValue) value("{ \"a\" => 1 'b' => 2\n cc => 3 -4 => 4 5.5 => x_y }");
      assertThat(hash.entries()).extracting(HashEntry::key).containsExactly(
          new StringValue("a"), new StringValue("b"), new BarewordValue("cc"),
          new NumberValue("-4"), new NumberValue("5.5"));
      assertThat(hash.get("cc")).contains(new NumberValue("3"));
      assertThat(hash.get("5.5")).contains(new BarewordValue("x_y"));
      assertThat(value("{}")).isEqualTo(new HashValue(List.of()));
    }
  }

  // ------------------------------------------------------------------ conditionals

  @Nested
  class Conditionals {

    @Test
    void readIfElseIfElseChains() throws Exception {
      Conditional c = (Conditional) parse("if [a] { drop {} }\nelse if [b] { mutate {} }\n"
          + "else if [c] { }\nelse { clone {} grok {} }").statements().get(0);

      assertThat(c.branches()).hasSize(3);
      assertThat(c.branches()).extracting(b -> b.body().size()).containsExactly(1, 1, 0);
      assertThat(c.elseBody()).extracting(s -> ((Plugin) s).name())
          .containsExactly("clone", "grok");
      assertThat(c.line()).isEqualTo(1);
      assertThat(c.branches()).extracting(Conditional.Branch::line).containsExactly(1, 2, 3);
    }

    @Test
    void nest() throws Exception {
      FilterBody body = parse("if [a] { if [b] { if [c] { drop {} } else { mutate {} } } }");
      assertThat(body.plugins()).extracting(Plugin::name).containsExactly("drop", "mutate");
    }

    @Test
    void ifWithoutElseHasAnEmptyElseBody() throws Exception {
      Conditional c = (Conditional) parse("if [a] { drop {} }").statements().get(0);
      assertThat(c.elseBody()).isEmpty();
    }

    @Test
    void takeElseIfWrittenWithoutASpace() throws Exception {
      // "else" cs "if": the grammar needs no space in between.
      Conditional c = (Conditional) parse("if [a] {} elseif [b] {}").statements().get(0);
      assertThat(c.branches()).hasSize(2);
    }

    @Test
    void leaveAPluginWhoseNameStartsWithElseToBeAPlugin() throws Exception {
      assertThat(parse("if [a] {} elsewhere {}").statements()).hasSize(2);
      assertThat(parse("iffy {}").plugins()).extracting(Plugin::name).containsExactly("iffy");
    }
  }

  @Nested
  class Conditions {

    @Test
    void compareFieldsWithStringsAndNumbers() throws Exception {
      assertThat(expression("[kubernetes][namespace] == \"prod\"")).isEqualTo(new Comparison(
          new FieldReference(List.of("kubernetes", "namespace")), Operator.EQ,
          new StringValue("prod")));
      assertThat(expression("[status] >= 500")).isEqualTo(new Comparison(
          new FieldReference(List.of("status")), Operator.GE, new NumberValue("500")));
      assertThat(expression("\"x\" != [a]")).isEqualTo(new Comparison(
          new StringValue("x"), Operator.NE, new FieldReference(List.of("a"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"==", "!=", "<", ">", "<=", ">="})
    void readEveryComparisonOperator(String symbol) throws Exception {
      Comparison c = (Comparison) expression("[a] " + symbol + " 1");
      assertThat(c.operator().symbol()).isEqualTo(symbol);
    }

    @Test
    void readInAndNotIn() throws Exception {
      assertThat(expression("\"error\" in [tags]")).isEqualTo(new Comparison(
          new StringValue("error"), Operator.IN, new FieldReference(List.of("tags"))));
      assertThat(expression("[level] not in [\"debug\", \"trace\"]")).isEqualTo(new Comparison(
          new FieldReference(List.of("level")), Operator.NOT_IN,
          new ArrayValue(List.of(new StringValue("debug"), new StringValue("trace")))));
      assertThat(((Comparison) expression("[a] not \n in [b]")).operator())
          .isEqualTo(Operator.NOT_IN);
    }

    @Test
    void readASingleElementListAsAFieldReferenceAsLogstashDoes() throws Exception {
      // The grammar tries `selector` before `array`: ["info"] is the field named "info" with
      // its quotes, not a one-element list.
      assertThat(((Comparison) expression("[level] in [\"info\"]")).right())
          .isEqualTo(new FieldReference(List.of("\"info\"")));
    }

    @Test
    void acceptWhatLogstash8CompilesWithRegularExpressions() throws Exception {
      // A constant left of =~ (Logstash 7.4 and later), a regular expression beside 'in', which
      // Logstash looks up as text.
      assertThat(expression("\"x\" =~ /a/")).isInstanceOf(Comparison.class);
      assertThat(expression("/a/ !~ \"b\"")).isInstanceOf(Comparison.class);
      assertThat(expression("[a] in /x/")).isEqualTo(new Comparison(
          new FieldReference(List.of("a")), Operator.IN, new RegexValue("x")));
      assertThat(expression("/x/ not in [a]")).isInstanceOf(Comparison.class);
      // Oniguruma's syntax, not Java's or RE2's.
      for (String regex : List.of("/(?<name>\\w+)\\k<name>/", "/\\h+\\z/", "/[[:alpha:]]+/", "/a++/",
          "/(?<=ab)c/", "/\\/var\\/log/", "/(?i)error/", "/\\p{Alpha}/")) {
        assertThat(expression("[m] =~ " + regex)).as(regex).isInstanceOf(Comparison.class);
      }
      onlyPlugin("grok { match => { \"message\" => [\"%{IP:ip} %{WORD}\", \"(?<a>x) %{MINE:m:int}\"] }"
          + " pattern_definitions => { \"MINE\" => \"[0-9]+\" } }");
      onlyPlugin("mutate { gsub => [\"path\", \"/\", \"_\", \"f\", \"%{other}[\", \"x\"] }");
    }

    @Test
    void readRegexMatches() throws Exception {
      assertThat(expression("[path] =~ /^\\/var\\/log/")).isEqualTo(new Comparison(
          new FieldReference(List.of("path")), Operator.MATCH, new RegexValue("^\\/var\\/log")));
      assertThat(expression("[agent] !~ \"probe\"")).isEqualTo(new Comparison(
          new FieldReference(List.of("agent")), Operator.NOT_MATCH, new StringValue("probe")));
    }

    @Test
    void readNegations() throws Exception {
      assertThat(expression("![tags]"))
          .isEqualTo(new Negation(new FieldReference(List.of("tags"))));
      assertThat(expression("! ( [a] == 1 )")).isEqualTo(new Negation(new Condition(
          List.of(new Comparison(new FieldReference(List.of("a")), Operator.EQ,
              new NumberValue("1"))), List.of())));
    }

    @Test
    void keepBooleanOperatorsFlatAndParenthesesNested() throws Exception {
      Condition c = condition("[a] and ([b] or [c]) or [d]");
      assertThat(c.operators()).containsExactly(BooleanOperator.AND, BooleanOperator.OR);
      assertThat(c.operands().get(1)).isInstanceOf(Condition.class);
      assertThat(((Condition) c.operands().get(1)).operators())
          .containsExactly(BooleanOperator.OR);
    }

    @Test
    void readOperatorsWithoutSpacesAroundThem() throws Exception {
      assertThat(condition("[a]and[b]").operators()).containsExactly(BooleanOperator.AND);
      assertThat(condition("[a]==1or[b]in[c]").operators()).containsExactly(BooleanOperator.OR);
    }

    @Test
    void allowXorAndNandAloneOrInParentheses() throws Exception {
      assertThat(condition("[a] xor [b]").operators()).containsExactly(BooleanOperator.XOR);
      assertThat(condition("([a] nand [b]) and [c]").operators())
          .containsExactly(BooleanOperator.AND);
    }

    @Test
    void readFieldReferencesWithAnyCharactersButBracketsAndCommas() throws Exception {
      assertThat(expression("[@metadata][kafka topic][x.y-z]")).isEqualTo(
          new FieldReference(List.of("@metadata", "kafka topic", "x.y-z")));
      assertThat(((FieldReference) expression("[a][b]")).text()).isEqualTo("[a][b]");
    }

    @Test
    void spanLinesAndComments() throws Exception {
      Condition c = condition("[a] == 1 # why\n  and\n  [b] # more\n");
      assertThat(c.operands()).hasSize(2);
    }
  }

  // ------------------------------------------------------------------ errors

  static Stream<Arguments> invalidFilters() {
    return Stream.of(
        // text, line, column, part of the message
        Arguments.of("grok {\n  match => { \"message\" => \"x\" }\n", 3, 1,
            "expected '}' to close plugin \"grok\" opened at line 1, column 6, found end of input"),
        Arguments.of("if [a] {\n  drop {}\n", 3, 1, "expected '}' to close the 'if' block"),
        Arguments.of("mutate { add_field => { \"a\" => \"b\" }", 1, 37, "plugin \"mutate\""),
        Arguments.of("drop { }\n}", 2, 1, "unexpected '}'"),
        Arguments.of("}", 1, 1, "no block is open here"),
        Arguments.of("grok {\n  match {\n}", 2, 9,
            "expected '=>' after setting name \"match\", found '{'"),
        Arguments.of("grok { match \"x\" }", 1, 14, "expected '=>'"),
        Arguments.of("mutate {\n  add_field => { \"a\" => \"b }\n}", 2, 25, "unterminated string"),
        Arguments.of("mutate { x => 'abc }", 1, 15, "unterminated string"),
        Arguments.of("if [a] =~ /abc {\n  drop {}\n}", 1, 11, "unterminated regular expression"),
        Arguments.of("else { drop {} }", 1, 1, "'else' without 'if'"),
        Arguments.of("if [a] {} else {} else {}", 1, 19, "'else' without 'if'"),
        Arguments.of("if [a] { drop {} } else if { drop {} }", 1, 28,
            "expected a condition after 'else if', found '{'"),
        Arguments.of("if { drop {} }", 1, 4, "expected a condition after 'if', found '{'"),
        Arguments.of("if", 1, 3, "expected a condition after 'if', found end of input"),
        Arguments.of("if [a] === \"b\" { drop {} }", 1, 10, "after '==', found '='"),
        Arguments.of("if [a] = \"b\" { drop {} }", 1, 8, "compare with '=='"),
        Arguments.of("if [a] && [b] { drop {} }", 1, 8, "write 'and'"),
        Arguments.of("if [a] AND [b] { drop {} }", 1, 8, "write 'and'"),
        Arguments.of("mutate { add_tag => [\"a\" \"b\"] }", 1, 26,
            "expected ',' or ']' in the array opened at line 1, column 21"),
        Arguments.of("mutate { add_tag => [\"a\", \"b\" }", 1, 31, "expected ',' or ']'"),
        Arguments.of("mutate { add_tag => [\"a\",] }", 1, 26, "trailing comma"),
        Arguments.of("mutate { add_field => { \"a\" => } }", 1, 32,
            "expected a value for hash key \"a\""),
        Arguments.of("mutate { add_field => { \"a\" } }", 1, 29, "expected '=>' after hash key"),
        Arguments.of("mutate { add_field => { \"a\" => 1, \"b\" => 2 } }", 1, 33, "not commas"),
        Arguments.of("mutate { add_field => { \"a\" => 1 \"a\" => 2 } }", 1, 34, "duplicate key"),
        Arguments.of("grok", 1, 5, "expected '{' after plugin name \"grok\", found end of input"),
        Arguments.of("grok\n\n", 3, 1, "found end of input"),
        Arguments.of("match => { \"message\" => \"x\" }", 1, 7, "settings belong inside a plugin"),
        Arguments.of("filter {\n  grok { }\n}", 1, 1, "leave out 'filter {' and its closing '}'"),
        Arguments.of("  # copied\n  filter { }", 2, 3, "leave out 'filter {'"),
        Arguments.of("output { stdout {} }", 1, 1, "cannot contain an 'output' section"),
        Arguments.of("if [a] { input { } }", 1, 10, "cannot contain an 'input' section"),
        Arguments.of("mutate { a => 1, b => 2 }", 1, 16, "not commas"),
        Arguments.of("mutate { a => 1 , b => 2 }", 1, 17, "not commas"),
        Arguments.of("mutate { a => \"x\"b => 2 }", 1, 18, "expected a space, a line break or '}'"),
        Arguments.of("mutate { a => \"x\"# why\n b => 2 }", 1, 18, "needs a space before it"),
        Arguments.of("mutate { h => { \"a\" => 1 # why\n \"b\" => 2 } }", 1, 26,
            "comment between two hash entries"),
        Arguments.of("mutate { h => { \"a\" => 1\"b\" => 2 } }", 1, 25, "expected a space"),
        Arguments.of("mutate { x => a }", 1, 15, "at least two characters"),
        Arguments.of("mutate { h => { a => 1 } }", 1, 17, "at least two characters"),
        Arguments.of("mutate { codec => json-lines }", 1, 23, "so quote it"),
        Arguments.of("mutate { x => 10s }", 1, 17, "after the number 10"),
        Arguments.of("mutate { x => 1.2.3 }", 1, 18, "after the number 1.2"),
        Arguments.of("mutate { x => /re/ }", 1, 15, "only allowed in conditions"),
        Arguments.of("mutate { x => }", 1, 15, "expected a value for setting \"x\""),
        Arguments.of("mutate { x => \"y\" { } }", 1, 15, "must not be quoted"),
        Arguments.of("\"grok\" { }", 1, 1, "written without quotes"),
        Arguments.of("mutate { gsub => [\"path\", \"\\\\\", \"/\"] }", 1, 34,
            "cannot end with a backslash"),
        Arguments.of("mutate { x => \"C:\\\\\" }", 1, 15, "cannot end with a backslash"),
        Arguments.of("if [a] == true { drop {} }", 1, 11, "barewords are not allowed"),
        Arguments.of("if [a] { drop {} } else if [b] == yes { }", 1, 35, "barewords are not"),
        Arguments.of("if foo([a]) { drop {} }", 1, 4, "method calls"),
        Arguments.of("if [a] and [b] xor [c] { drop {} }", 1, 16, "'xor' next to another"),
        Arguments.of("if [a] nand [b] or [c] { drop {} }", 1, 8, "'nand' next to another"),
        Arguments.of("if [a] not\tin [b] { drop {} }", 1, 8, "one space after 'not'"),
        Arguments.of("if [a] not [b] { drop {} }", 1, 12, "expected 'in' after 'not'"),
        Arguments.of("if 1 =~ /a/ { drop {} }", 1, 4, "left side of '=~'"),
        Arguments.of("if [1, 2] !~ /a/ { drop {} }", 1, 4, "left side of '!~'"),
        Arguments.of("if [a] =~ [b] { drop {} }", 1, 11, "a regular expression /.../ or a string"),
        Arguments.of("if /a/ { drop {} }", 1, 4, "cannot stand alone in a condition"),
        Arguments.of("if [a] and /a/ { drop {} }", 1, 12, "cannot stand alone"),
        Arguments.of("if [a] == /a/ { drop {} }", 1, 11, "with '==' Logstash refuses it at start-up"),
        Arguments.of("if /a/ < [a] { drop {} }", 1, 4, "can only be matched with '=~' or '!~'"),
        // Regular expressions Oniguruma (Logstash's engine) refuses.
        Arguments.of("if [a] =~ /[0-9/ { drop {} }", 1, 11,
            "cannot compile the regular expression /[0-9/: premature end of char-class; it would"
                + " refuse to start the pipeline"),
        Arguments.of("if [a] { } else if [b] !~ \"(abc\" { }", 1, 27,
            "end pattern with unmatched parenthesis"),
        Arguments.of("if [a] =~ /(?<x>a)\\1/ { }", 1, 11, "numbered backref/call is not allowed"),
        Arguments.of("grok { match => { \"message\" => \"%{WORD:w} [0-9\" } }", 1, 17,
            "cannot compile the grok pattern \"%{WORD:w} [0-9\": premature end of char-class;"
                + " grok would refuse to start"),
        Arguments.of("grok {\n  match => { \"message\" => [\"%{IP:ip}\", \"(?<a>%{WORD})\\1\"] }\n}", 2,
            12, "numbered backref/call is not allowed"),
        Arguments.of("grok { match => [\"message\", \"a)\"] }", 1, 17, "unmatched close parenthesis"),
        Arguments.of("grok {\n match => { \"m\" => \"%{MINE:x}\" }\n pattern_definitions => { \"MINE\" => \"(a\" }\n}",
            2, 11, "cannot compile the grok pattern \"%{MINE:x}\""),
        Arguments.of("grok { match => { \"m\" => \"%{A}\" } pattern_definitions => { \"A\" => \"%{B}\" \"B\" => \"%{A}\" } }",
            1, 17, "refer to each other in a loop"),
        Arguments.of("mutate { gsub => [\"path\", \"[\", \"_\"] }", 1, 18,
            "cannot compile the gsub regular expression \"[\": premature end of char-class; mutate would"
                + " refuse to start"),
        Arguments.of("mutate { gsub => [\"path\", \"a\"] }", 1, 18, "gsub takes triples"),
        Arguments.of("if ![a,b] { drop {} }", 1, 5, "after '!'"),
        Arguments.of("if !\"x\" { drop {} }", 1, 5, "after '!'"),
        Arguments.of("if ([a] { drop {} }", 1, 9,
            "expected ')' to close the '(' at line 1, column 4"),
        Arguments.of("if () { drop {} }", 1, 5, "expected a condition after '('"),
        Arguments.of("if [a] and { drop {} }", 1, 12, "after 'and', found '{'"),
        Arguments.of("if [a][] { drop {} }", 1, 7, "found '['"),
        Arguments.of("if [a] { drop {} } else drop {}", 1, 25, "expected 'if' or '{' after 'else'"),
        Arguments.of("if{}", 1, 3, "expected a condition after 'if'"),
        Arguments.of("mutate { }\n\u00a0", 2, 1, "U+00A0"),
        Arguments.of("\ufeffmutate { }", 1, 1, "U+FEFF"),
        Arguments.of("# comment\rmutate {}", 1, 11, "after the '\\r' that ends a comment"),
        Arguments.of("mutate { x => \"é👋\" y => }", 1, 25,
            "expected a value for setting \"y\""),
        Arguments.of("if [a] {\r\n  drop {\r\n}\r\n", 4, 1, "expected '}'"),
        Arguments.of("mutate {\n\tx =>\t}", 2, 7, "expected a value"));
  }

  @ParameterizedTest(name = "[{index}] {1}:{2} {3}")
  @MethodSource("invalidFilters")
  void rejectsWithThePositionOfTheFirstError(String text, int line, int column, String message) {
    LogstashSyntaxException e = rejected(text);

    assertThat(e).as("rejects %s", text).isNotNull();
    assertThat(e.line() + ":" + e.column()).as(e.getMessage()).isEqualTo(line + ":" + column);
    assertThat(e.getMessage()).startsWith("line " + line + ", column " + column + ": ")
        .contains(message);
  }

  @Nested
  class Messages {

    @Test
    void sayWhatWasExpectedAndWhatWasFound() {
      assertThat(rejected("grok {\n  match {\n    \"message\" => \"x\"\n  }\n}").getMessage())
          .isEqualTo("line 2, column 9: expected '=>' after setting name \"match\", found '{'");
    }

    @Test
    void neverEchoMoreThanAShortExcerptOfUserText() {
      String longName = "a".repeat(500);
      String longString = "\"" + "b".repeat(500);
      for (String text : List.of(longName, longName + " => 1", "mutate { " + longName + " }",
          "mutate { x => " + longString + "\" " + longName + " }", longString,
          "if [a] == " + longName + " {}", "mutate { x => [" + longString + "\" " + longString)) {
        String message = rejected(text).getMessage();
        assertThat(message).as(message).doesNotContain("a".repeat(61)).doesNotContain(
            "b".repeat(61));
        assertThat(message.length()).isLessThan(300);
      }
    }

    @Test
    void countColumnsInCharactersWithTabsAsOne() {
      LogstashSyntaxException e = rejected("mutate {\n\t\"ü👋\" => \n}");
      assertThat(e.line()).isEqualTo(3);
      assertThat(e.column()).isEqualTo(1);
      assertThat(rejected("\t\t👋").column()).isEqualTo(3);
    }
  }

  // ------------------------------------------------------------------ limits

  @Nested
  class Depth {

    @Test
    void allowsReasonableNesting() throws Exception {
      String text = "if [a] { ".repeat(40) + "drop { x => " + "[".repeat(40) + "]".repeat(40)
          + " }" + " }".repeat(40);
      assertThat(parse(text).plugins()).hasSize(1);
      assertThat(condition("(".repeat(60) + "[a]" + ")".repeat(60)).operands()).hasSize(1);
    }

    static Stream<Arguments> deepTexts() {
      int n = 100_000;
      return Stream.of(
          Arguments.of("blocks", "if [a] { ".repeat(n)),
          Arguments.of("codecs", "mutate { x => " + "c1 { x => ".repeat(n)),
          Arguments.of("arrays", "mutate { x => " + "[".repeat(n)),
          Arguments.of("hashes", "mutate { x => " + "{ k1 => ".repeat(n)),
          Arguments.of("parentheses", "if " + "(".repeat(n)),
          Arguments.of("negations", "if " + "!(".repeat(n)),
          Arguments.of("arrays in conditions", "if [a] in " + "[".repeat(n)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("deepTexts")
    void refusesDeepNestingWithAnErrorInsteadOfAStackOverflow(String name, String text) {
      LogstashSyntaxException e = rejected(text);
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains("nested more than 100 levels deep");
    }
  }

  // ------------------------------------------------------------------ whole pipelines

  @Nested
  class Pipelines {

    @Test
    void readSectionsInOrder() throws Exception {
      PipelineConfig conf = LogstashParser.parsePipeline(
          "input { kafka { codec => json } }\nfilter { if [a] { drop {} } }\n"
              + "output { stdout { codec => rubydebug { metadata => true } } }\n");
      assertThat(conf.sections())
          .extracting(PipelineConfig.Section::type, PipelineConfig.Section::line)
          .containsExactly(tuple("input", 1),
              tuple("filter", 2),
              tuple("output", 3));
      assertThat(conf.sections("filter").get(0).plugins()).extracting(Plugin::name)
          .containsExactly("drop");
    }

    @Test
    void mayBeEmpty() throws Exception {
      assertThat(LogstashParser.parsePipeline("# nothing\n").sections()).isEmpty();
    }

    @Test
    void needALineBreakAfterTheLastCommentUnlikeAFilterBody() throws Exception {
      // Logstash before 8.14 failed on a comment at the very end of a file; the operator always
      // puts a line break after the filter body, so the body itself may end in a comment.
      assertThatThrownBy(() -> LogstashParser.parsePipeline("filter { }\n# end"))
          .isInstanceOf(LogstashSyntaxException.class).hasMessageStartingWith("line 2, column 6:");
      assertThat(parse("drop { }\n# end").statements()).hasSize(1);
    }

    @Test
    void refuseUnknownSectionsAndNestedSections() {
      assertThatThrownBy(() -> LogstashParser.parsePipeline("filters { }"))
          .hasMessage("line 1, column 1: expected 'input', 'filter' or 'output', found 'filters'");
      assertThatThrownBy(() -> LogstashParser.parsePipeline("filter { output { } }"))
          .hasMessageContaining("line 1, column 10: 'output' is a section");
      assertThatThrownBy(() -> LogstashParser.parsePipeline("filter { drop {} "))
          .hasMessage("line 1, column 18: expected '}' to close the 'filter' section opened at"
              + " line 1, column 8, found end of input");
    }
  }
}
