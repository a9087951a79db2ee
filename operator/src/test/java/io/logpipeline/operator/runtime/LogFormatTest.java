package io.logpipeline.operator.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationFactory;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.StringMap;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two log layouts of {@code run} (log4j2.xml and log4j2-json.xml of src/main/resources),
 * loaded without replacing the tests' own logging, formatting the events a reconcile logs.
 */
class LogFormatTest {

  static final ObjectMapper JSON = new ObjectMapper();

  /** The layout of the "stderr" appender of a configuration on the class path. */
  static String format(String configuration, LogEvent event) throws Exception {
    URI uri = LogFormatTest.class.getClassLoader().getResource(configuration).toURI();
    LoggerContext context = new LoggerContext("layout-test");
    Configuration config = ConfigurationFactory.getInstance()
        .getConfiguration(context, ConfigurationSource.fromUri(uri));
    config.initialize();
    try {
      Appender appender = config.getAppender("stderr");
      Layout<?> layout = appender.getLayout();
      return new String(layout.toByteArray(event), java.nio.charset.StandardCharsets.UTF_8);
    } finally {
      config.stop();
    }
  }

  static LogEvent event(Map<String, String> mdc, Throwable thrown) {
    StringMap context = ContextDataFactory.createContextData();
    mdc.forEach(context::putValue);
    return Log4jLogEvent.newBuilder()
        .setLoggerName("io.logpipeline.operator.reconciler.LogPipelineReconciler")
        .setLevel(Level.WARN)
        .setThreadName("ReconcilerExecutor-logpipeline-42")
        .setMessage(new SimpleMessage("IndexTemplateReady \"Unreachable\": connection refused"))
        .setContextData(context)
        .setThrown(thrown)
        .setTimeMillis(1_700_000_000_000L)
        .build();
  }

  static final Map<String, String> RECONCILING = Map.of(
      "resource.namespace", "logging", "resource.name", "payments", "resource.kind", "LogPipeline");

  @Test
  void plainLinesOfAReconcileNameThePipeline() throws Exception {
    String line = format("log4j2.xml", event(RECONCILING, null));
    assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d,\\d{3} WARN  \\[ReconcilerExecutor-logpipeline-42\\]"
        + " LogPipelineReconciler - \\[logging/payments\\] IndexTemplateReady \"Unreachable\": connection refused\\R");
    String outside = format("log4j2.xml", event(Map.of(), null));
    assertThat(outside).contains("LogPipelineReconciler - IndexTemplateReady").doesNotContain("[/]");
  }

  @Test
  void jsonLinesAreOneObjectWithTheMdcAndTheException() throws Exception {
    String line = format(LogFormat.JSON_CONFIGURATION, event(RECONCILING,
        new IllegalStateException("boom\nsecond line")));
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = JSON.readTree(line);
    assertThat(json.path("@timestamp").asText()).isEqualTo("2023-11-14T22:13:20.000Z");
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("logger").asText()).isEqualTo("io.logpipeline.operator.reconciler.LogPipelineReconciler");
    assertThat(json.path("thread").asText()).isEqualTo("ReconcilerExecutor-logpipeline-42");
    assertThat(json.path("message").asText()).isEqualTo("IndexTemplateReady \"Unreachable\": connection refused");
    assertThat(json.path("mdc").path("resource.namespace").asText()).isEqualTo("logging");
    assertThat(json.path("mdc").path("resource.name").asText()).isEqualTo("payments");
    assertThat(json.path("exception").path("class").asText()).isEqualTo("java.lang.IllegalStateException");
    assertThat(json.path("exception").path("message").asText()).isEqualTo("boom\nsecond line");
    assertThat(json.path("exception").path("stackTrace").asText())
        .startsWith("java.lang.IllegalStateException: boom").contains("at io.logpipeline.operator.runtime.LogFormatTest");

    JsonNode plain = JSON.readTree(format(LogFormat.JSON_CONFIGURATION, event(Map.of(), null)));
    assertThat(plain.has("mdc")).as("no empty mdc").isFalse();
    assertThat(plain.has("exception")).as("no empty exception").isFalse();
  }

  @Test
  void formatsByName() {
    assertThat(LogFormat.parse("json")).isEqualTo(LogFormat.JSON);
    assertThat(LogFormat.parse(" Plain ")).isEqualTo(LogFormat.PLAIN);
    assertThat(LogFormat.JSON).hasToString("json");
    assertThatThrownBy(() -> LogFormat.parse("xml")).hasMessage("unknown log format 'xml': use plain or json");
  }
}
