package io.logpipeline.operator.logstash;

/**
 * A Logstash configuration that Logstash would refuse to load, with the position of the first
 * problem so that a user can find it in the text they wrote.
 */
public final class LogstashSyntaxException extends Exception {

  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String detail;

  LogstashSyntaxException(int line, int column, String detail) {
    super("line " + line + ", column " + column + ": " + detail);
    this.line = line;
    this.column = column;
    this.detail = detail;
  }

  /** 1-based line of the problem, relative to the text that was parsed. */
  public int line() {
    return line;
  }

  /** 1-based column of the problem, counted in characters (a tab counts as one). */
  public int column() {
    return column;
  }

  /** The message without its position: what was expected and what was found. */
  public String detail() {
    return detail;
  }
}
