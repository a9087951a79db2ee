package io.logpipeline.operator.model;

/**
 * One thing wrong with a LogPipeline spec: the field path a user can find in their YAML and what
 * would be accepted there.
 */
public record SpecProblem(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
