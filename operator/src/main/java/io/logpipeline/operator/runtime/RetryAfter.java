package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Makes the fabric8 client wait as long as a 429 (or 503) response's {@code Retry-After} says
 * before it retries. fabric8 7.5.2 retries 429s and 5xx with exponential backoff, and computes
 * the Retry-After delay, but schedules the retry with the backoff interval alone (100 ms, 200 ms,
 * ...): the API server's priority and fairness asks for a pause it would not get.
 *
 * <p>This interceptor holds a failed response back for the Retry-After delay (at most {@link
 * #MAX_WAIT}, and at most the request timeout) before the client's own retry sees it, without
 * blocking a thread; the client's backoff then comes on top, so the next attempt is never earlier
 * than the server asked.
 */
public final class RetryAfter implements Interceptor {

  public static final String NAME = "logpipeline-retry-after";
  /** A longer Retry-After is cut to this: a reconcile should not stall for minutes. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(30);

  /** Adds the interceptor to the clients this builder makes. */
  public static KubernetesClientBuilder install(KubernetesClientBuilder builder) {
    return builder.withHttpClientBuilderConsumer(RetryAfter::addTo);
  }

  /** Adds the interceptor to an HTTP client builder. */
  public static void addTo(HttpClient.Builder builder) {
    builder.addOrReplaceInterceptor(NAME, new RetryAfter());
  }

  @Override
  public CompletableFuture<Boolean> afterFailure(HttpRequest.Builder builder, HttpResponse<?> response,
      RequestTags tags) {
    if (response.code() != 429 && response.code() != 503) {
      return CompletableFuture.completedFuture(false);
    }
    Duration wait = delay(response.header("Retry-After"), ZonedDateTime.now());
    // The client gives each attempt about twice its request timeout; waiting longer than one
    // request timeout here would turn the 429 into a timeout that is not retried.
    if (response.request() instanceof StandardHttpRequest request && request.getTimeout() != null
        && !request.getTimeout().isZero() && !request.getTimeout().isNegative()
        && wait.compareTo(request.getTimeout()) > 0) {
      wait = request.getTimeout();
    }
    if (wait.isZero()) {
      return CompletableFuture.completedFuture(false);
    }
    // false: this interceptor does not resend; the client's retry does, once this completes.
    return CompletableFuture.supplyAsync(() -> false,
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS));
  }

  /** The wait a Retry-After value asks for (seconds or an HTTP date), capped; zero if none. */
  static Duration delay(String retryAfter, ZonedDateTime now) {
    if (retryAfter == null || retryAfter.isBlank()) {
      return Duration.ZERO;
    }
    Duration wait;
    try {
      wait = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
    } catch (NumberFormatException e) {
      try {
        wait = Duration.between(now, ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
      } catch (DateTimeParseException notADate) {
        return Duration.ZERO;
      }
    }
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }
}
