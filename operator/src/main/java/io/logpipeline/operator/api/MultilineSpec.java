package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Filebeat's pattern-based multiline joining. */
public class MultilineSpec {

  /** Regular expression that marks lines belonging to a previous or next line. */
  @Required
  @Size(min = 1)
  @JsonPropertyDescription("Regular expression (Go RE2 syntax) that a line is matched against, e.g. '^\\s' for indented continuation lines.")
  private String pattern;

  /** Invert the match. */
  @JsonPropertyDescription("true: lines that do NOT match the pattern are the continuation lines.")
  private boolean negate;

  /** Whether continuation lines are appended after or prepended before the matching line. */
  @Default("after")
  @Pattern("^(after|before)$")
  @JsonPropertyDescription("after: continuation lines join the line before them; before: they join the line after them.")
  private String match = "after";

  public String getPattern() { return pattern; }
  public void setPattern(String pattern) { this.pattern = pattern; }
  public boolean isNegate() { return negate; }
  public void setNegate(boolean negate) { this.negate = negate; }
  public String getMatch() { return match; }
  public void setMatch(String match) { this.match = match; }
}
