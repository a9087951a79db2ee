package io.logpipeline.operator.logstash;

import java.util.List;
import java.util.Optional;

/**
 * A plugin block such as {@code grok { match => { "message" => "%{GREEDYDATA}" } }}: a filter
 * when it is a statement, a codec when it is the value of a setting.
 */
public record Plugin(String name, List<Setting> settings, int line) implements Statement, Value {

  public Plugin {
    settings = List.copyOf(settings);
  }

  /**
   * The value of the first setting called {@code name}. Logstash merges repeated hash settings
   * and collects other repeats into an array; this returns the first as written.
   */
  public Optional<Value> setting(String name) {
    return settings.stream().filter(s -> s.name().equals(name)).map(Setting::value).findFirst();
  }
}
