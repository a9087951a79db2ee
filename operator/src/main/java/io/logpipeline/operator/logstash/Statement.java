package io.logpipeline.operator.logstash;

import java.util.ArrayList;
import java.util.List;

/** One entry of a section or block: a plugin to run, or a conditional choosing what to run. */
public sealed interface Statement permits Plugin, Conditional {

  /** 1-based line where the statement starts. */
  int line();

  /** The plugins among {@code statements}, depth-first in source order, entering conditionals. */
  static List<Plugin> plugins(List<Statement> statements) {
    List<Plugin> out = new ArrayList<>();
    collect(statements, out);
    return List.copyOf(out);
  }

  private static void collect(List<Statement> statements, List<Plugin> out) {
    for (Statement s : statements) {
      if (s instanceof Plugin p) {
        out.add(p);
      } else if (s instanceof Conditional c) {
        for (Conditional.Branch b : c.branches()) {
          collect(b.body(), out);
        }
        collect(c.elseBody(), out);
      }
    }
  }
}
