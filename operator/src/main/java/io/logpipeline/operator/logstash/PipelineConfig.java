package io.logpipeline.operator.logstash;

import java.util.List;

/** A whole Logstash pipeline file: its input, filter and output sections, in order. */
public record PipelineConfig(List<Section> sections) {

  public PipelineConfig {
    sections = List.copyOf(sections);
  }

  /** The sections of one type ({@code "input"}, {@code "filter"} or {@code "output"}), in order. */
  public List<Section> sections(String type) {
    return sections.stream().filter(s -> s.type().equals(type)).toList();
  }

  /** One {@code input { ... }}, {@code filter { ... }} or {@code output { ... }} section. */
  public record Section(String type, List<Statement> statements, int line) {

    public Section {
      statements = List.copyOf(statements);
    }

    /** Every plugin of the section, depth-first in source order, entering conditionals. */
    public List<Plugin> plugins() {
      return Statement.plugins(statements);
    }
  }
}
