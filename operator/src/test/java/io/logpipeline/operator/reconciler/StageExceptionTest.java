package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A stage's failure carries the reason its condition shows, the message, and the cause. */
class StageExceptionTest {

  @Test
  void reasonMessageAndCause() {
    IllegalStateException cause = new IllegalStateException("underneath");
    StageException e = new StageException("Unreachable", "es:9200 refused", cause);
    assertThat(e.reason()).isEqualTo("Unreachable");
    assertThat(e.getMessage()).isEqualTo("es:9200 refused");
    assertThat(e.getCause()).isSameAs(cause);
    StageException plain = new StageException("Conflict", "owned by another");
    assertThat(plain.reason()).isEqualTo("Conflict");
    assertThat(plain.getCause()).isNull();
  }
}
