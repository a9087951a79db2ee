package io.logpipeline.operator.logstash;

/**
 * The text being parsed and a position in it. Skips the whitespace and comments that Logstash
 * allows between tokens, and turns an offset into the line, column and short excerpt of an
 * error message.
 */
final class ConfigScanner {

  /** Longest piece of user text quoted in a message; messages never echo whole lines. */
  static final int EXCERPT = 24;

  final String text;
  int pos;
  private final boolean commentMayEndAtEnd;
  private int lineCacheOffset;
  private int lineCacheLine = 1;

  /**
   * @param commentMayEndAtEnd whether a comment may end at the end of the text; Logstash before
   *     8.14 needs a line break after every comment, which the caller may know will follow
   */
  ConfigScanner(String text, boolean commentMayEndAtEnd) {
    this.text = text;
    this.commentMayEndAtEnd = commentMayEndAtEnd;
  }

  boolean atEnd() {
    return pos >= text.length();
  }

  boolean at(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  boolean startsWith(String s) {
    return text.startsWith(s, pos);
  }

  /** The character at {@code i}, or -1 past the end. */
  int charAt(int i) {
    return i < text.length() ? text.charAt(i) : -1;
  }

  /** Logstash's {@code whitespace}: nothing else counts, not a form feed, not a no-break space. */
  static boolean isSpace(int c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  /** A character of Logstash's {@code name}: plugin and setting names. */
  static boolean isNameChar(int c) {
    return isWordChar(c) || c == '-';
  }

  /** A character of Logstash's {@code bareword} after the first. */
  static boolean isWordChar(int c) {
    return isWordStart(c) || (c >= '0' && c <= '9');
  }

  static boolean isWordStart(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** The run of name characters at {@code from}, possibly empty. */
  String nameAt(int from) {
    int end = from;
    while (isNameChar(charAt(end))) {
      end++;
    }
    return text.substring(from, end);
  }

  /** The bareword-shaped run at {@code from} (a letter or '_', then word characters), or "". */
  String wordAt(int from) {
    if (!isWordStart(charAt(from))) {
      return "";
    }
    int end = from + 1;
    while (isWordChar(charAt(end))) {
      end++;
    }
    return text.substring(from, end);
  }

  /** Skips Logstash's {@code cs}: any mix of whitespace and {@code #} comments. */
  void skipSpaceAndComments() throws LogstashSyntaxException {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (isSpace(c)) {
        pos++;
      } else if (c == '#') {
        skipComment();
      } else {
        return;
      }
    }
  }

  private void skipComment() throws LogstashSyntaxException {
    while (pos < text.length() && text.charAt(pos) != '\r' && text.charAt(pos) != '\n') {
      pos++;
    }
    if (pos == text.length()) {
      if (!commentMayEndAtEnd) {
        throw error(pos, "expected a line break after the comment, found end of input"
            + " (Logstash before 8.14 needs one)");
      }
      return;
    }
    if (text.charAt(pos) == '\r') {
      // The grammar ends a comment with "\r"? "\n": a lone carriage return does not end it.
      if (charAt(pos + 1) != '\n') {
        throw error(pos + 1, "expected '\\n' after the '\\r' that ends a comment, found "
            + found(pos + 1));
      }
      pos++;
    }
    pos++;
  }

  /** Where {@link #skipSpaceAndComments()} would stop from {@code from}; never fails. */
  int afterSpaceAndComments(int from) {
    int p = from;
    while (p < text.length()) {
      char c = text.charAt(p);
      if (isSpace(c)) {
        p++;
      } else if (c == '#') {
        while (p < text.length() && text.charAt(p) != '\n') {
          p++;
        }
      } else {
        break;
      }
    }
    return p;
  }

  LogstashSyntaxException error(int at, String detail) {
    return new LogstashSyntaxException(line(at), column(at), detail);
  }

  /** "line 3, column 14", for messages that point back at an opening bracket. */
  String where(int at) {
    return "line " + line(at) + ", column " + column(at);
  }

  /** 1-based line of {@code at}; lines end at '\n', as Logstash counts them. */
  int line(int at) {
    int at0 = Math.min(at, text.length());
    // Parsing asks for lines mostly in increasing order; resume from the last answer.
    if (at0 < lineCacheOffset) {
      lineCacheOffset = 0;
      lineCacheLine = 1;
    }
    for (int i = lineCacheOffset; i < at0; i++) {
      if (text.charAt(i) == '\n') {
        lineCacheLine++;
      }
    }
    lineCacheOffset = at0;
    return lineCacheLine;
  }

  /** 1-based column of {@code at}, in characters (code points) from the start of its line. */
  int column(int at) {
    int at0 = Math.min(at, text.length());
    int lineStart = text.lastIndexOf('\n', at0 - 1) + 1;
    return text.codePointCount(lineStart, at0) + 1;
  }

  /** What stands at {@code at}, for "found ..." in a message; at most a short excerpt. */
  String found(int at) {
    if (at >= text.length()) {
      return "end of input";
    }
    char c = text.charAt(at);
    if (c == '\n' || c == '\r') {
      return "a line break";
    }
    if (isNameChar(c)) {
      return "'" + excerpt(nameAt(at)) + "'";
    }
    if (c == '"' || c == '\'') {
      int end = at + 1;
      while (end < text.length() && end - at <= EXCERPT && text.charAt(end) != c
          && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      boolean closed = end < text.length() && text.charAt(end) == c;
      return "the string " + printable(text.substring(at, closed ? end + 1 : end))
          + (closed ? "" : "...");
    }
    for (String op : new String[] {"=>", "==", "!=", "<=", ">=", "=~", "!~", "&&", "||"}) {
      if (text.startsWith(op, at)) {
        return "'" + op + "'";
      }
    }
    int cp = text.codePointAt(at);
    if (Character.isISOControl(cp) || Character.isWhitespace(cp) || Character.isSpaceChar(cp)
        || cp == 0xFEFF) {
      return String.format("the invisible character U+%04X", cp);
    }
    return "'" + new String(Character.toChars(cp)) + "'";
  }

  /** {@code s} in double quotes, shortened and with control characters escaped. */
  static String quoted(String s) {
    return "\"" + excerpt(s) + "\"";
  }

  static String excerpt(String s) {
    return excerpt(s, EXCERPT);
  }

  /** At most {@code max} characters of user text, printable. */
  static String excerpt(String s, int max) {
    String cut = s.length() > max ? s.substring(0, max) + "..." : s;
    return printable(cut);
  }

  private static String printable(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\t') {
        out.append("\\t");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (Character.isISOControl(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}
