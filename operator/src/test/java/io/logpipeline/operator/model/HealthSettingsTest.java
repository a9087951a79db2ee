package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.HealthSpec;
import io.logpipeline.operator.api.LogPipeline;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HealthSettingsTest {

  @Test
  void defaults() throws Exception {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.getSpec().setHealth(null);
    HealthSettings s = HealthSettings.of(Pipeline.resolve(lp));
    assertThat(s.maxEventAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.canaryEnabled()).isTrue();
    assertThat(s.canaryInterval()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void givenValues() throws Exception {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    lp.getSpec().getHealth().setMaxEventAge("2h");
    lp.getSpec().getHealth().getCanary().setEnabled(false);
    lp.getSpec().getHealth().getCanary().setInterval("30s");
    HealthSettings s = HealthSettings.of(Pipeline.resolve(lp));
    assertThat(s).isEqualTo(new HealthSettings(Duration.ofHours(2), false, Duration.ofSeconds(30)));
  }

  @Test
  void badDurationsNameTheirFields() {
    LogPipeline lp = TestLogPipelines.minimal("app", "logging", "https://es:9200");
    HealthSpec health = new HealthSpec();
    health.setMaxEventAge("10 minutes");
    health.getCanary().setInterval("0s");
    lp.getSpec().setHealth(health);
    var e = catchThrowableOfType(() -> Pipeline.resolve(lp), InvalidSpecException.class);
    assertThat(e.problems()).extracting(SpecProblem::field)
        .containsExactly("spec.health.maxEventAge", "spec.health.canary.interval");
  }
}
