package io.logpipeline.operator.reconciler;

/**
 * A stage could not be provisioned for a reason the user can act on; the reason and message go
 * to that stage's condition and to an Event, so they must never contain secret values.
 */
public class StageException extends RuntimeException {

  private final String reason;

  public StageException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public StageException(String reason, String message) {
    this(reason, message, null);
  }

  public String reason() {
    return reason;
  }
}
