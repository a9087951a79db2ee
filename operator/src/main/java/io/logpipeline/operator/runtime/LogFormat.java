package io.logpipeline.operator.runtime;

import org.apache.logging.log4j.core.config.Configurator;

import java.net.URISyntaxException;
import java.net.URL;
import java.util.Locale;

/**
 * How the operator writes its log: {@code plain} lines for people, or {@code json}, one JSON
 * object per line for a log pipeline (timestamp, level, logger, thread, message, the MDC with
 * the reconciled LogPipeline's {@code resource.namespace} and {@code resource.name}, and the
 * exception).
 */
public enum LogFormat {
  /** The configuration log4j2 found ({@code log4j2.xml} in the jar, or the user's). */
  PLAIN,
  /** {@code log4j2-json.xml}: JsonTemplateLayout with {@code logpipeline-log-template.json}. */
  JSON;

  /** The log4j2 configuration of the JSON format, on the class path. */
  public static final String JSON_CONFIGURATION = "log4j2-json.xml";

  public static LogFormat parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown log format '" + value + "': use plain or json", e);
    }
  }

  /**
   * Switches the running log4j2 to this format. Loggers that exist already (static ones) follow:
   * log4j2 re-points them at the new configuration.
   */
  public void apply() {
    if (this == PLAIN) {
      return;
    }
    URL config = LogFormat.class.getClassLoader().getResource(JSON_CONFIGURATION);
    if (config == null) {
      throw new IllegalStateException(JSON_CONFIGURATION + " is not on the class path");
    }
    try {
      Configurator.reconfigure(config.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
