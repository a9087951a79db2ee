package io.logpipeline.operator.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

  static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC);

  @Test
  void secondsAreTakenAsTheyAre() {
    assertThat(RetryAfter.delay("1", NOW)).isEqualTo(Duration.ofSeconds(1));
    assertThat(RetryAfter.delay(" 7 ", NOW)).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void anHttpDateIsTheTimeLeftUntilThen() {
    assertThat(RetryAfter.delay("Wed, 25 Nov 2026 12:00:05 GMT", NOW)).isEqualTo(Duration.ofSeconds(5));
    assertThat(RetryAfter.delay("Wed, 25 Nov 2026 11:59:00 GMT", NOW)).as("in the past").isZero();
  }

  @Test
  void aLongWaitIsCut() {
    assertThat(RetryAfter.delay("3600", NOW)).isEqualTo(RetryAfter.MAX_WAIT);
  }

  @Test
  void noneOrGarbageMeansNoWait() {
    assertThat(RetryAfter.delay(null, NOW)).isZero();
    assertThat(RetryAfter.delay("", NOW)).isZero();
    assertThat(RetryAfter.delay("soon", NOW)).isZero();
    assertThat(RetryAfter.delay("-3", NOW)).isZero();
  }
}
