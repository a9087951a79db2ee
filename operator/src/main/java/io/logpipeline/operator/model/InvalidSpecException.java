package io.logpipeline.operator.model;

import java.util.List;
import java.util.stream.Collectors;

/** The spec cannot be provisioned; nothing derived from it may be written. */
public class InvalidSpecException extends Exception {

  private final List<SpecProblem> problems;

  public InvalidSpecException(List<SpecProblem> problems) {
    super(problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; ")));
    this.problems = List.copyOf(problems);
  }

  public List<SpecProblem> problems() {
    return problems;
  }
}
