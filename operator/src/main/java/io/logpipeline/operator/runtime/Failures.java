package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClientException;

import javax.net.ssl.SSLException;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

/**
 * Tells the failures the operator expects of a remote server (refused, timed out, unknown host,
 * an HTTP status) from the unexpected ones, and says them in a few words for a log line without
 * a stack trace.
 */
public final class Failures {

  /**
   * @param cause a short category, the same for every attempt that failed the same way
   * @param message the category with what the exception adds (a host name, a TLS reason)
   * @param expected whether this is a server's or the network's doing, which a retry may cure
   */
  public record Described(String cause, String message, boolean expected) {}

  private Failures() {
  }

  /**
   * The JDK 17 HTTP client throws a {@link ConnectException} without a message for a refused
   * connection and for an unknown host name, and wraps everything in completion exceptions: the
   * kind of failure is in the classes along the cause chain.
   */
  public static Described describe(Throwable failure) {
    IOException io = null;
    boolean connect = false;
    boolean closed = false;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        String status = k.getStatus() != null && k.getStatus().getMessage() != null
            ? k.getStatus().getMessage() : k.getMessage();
        return expected("HTTP " + k.getCode(), "HTTP " + k.getCode() + " " + brief(status));
      }
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return expected("unknown host", t.getMessage() == null ? "unknown host name"
            : "unknown host name " + t.getMessage());
      }
      if (t instanceof HttpConnectTimeoutException || t instanceof SocketTimeoutException
          || t instanceof HttpTimeoutException || t instanceof TimeoutException) {
        return expected("timed out", "timed out");
      }
      if (t instanceof NoRouteToHostException) {
        return expected("no route to host", "no route to host");
      }
      if (t instanceof SSLException) {
        return expected("TLS", "TLS handshake failed: " + t.getMessage());
      }
      connect |= t instanceof ConnectException;
      closed |= t instanceof EOFException || t instanceof ClosedChannelException;
      if (t instanceof IOException e && io == null) {
        io = e;
      }
    }
    // A refused connection: a ConnectException caused by a ClosedChannelException, in JDK 17.
    if (connect) {
      return expected("connection refused", "connection refused");
    }
    if (closed) {
      return expected("connection closed", "connection closed by the server");
    }
    if (io != null) {
      return expected(io.getClass().getSimpleName(), io.getMessage() == null
          ? io.getClass().getSimpleName() : io.getClass().getSimpleName() + ": " + brief(io.getMessage()));
    }
    Throwable innermost = failure;
    while (innermost.getCause() != null && innermost.getCause() != innermost) {
      innermost = innermost.getCause();
    }
    String text = innermost.getClass().getSimpleName()
        + (innermost.getMessage() == null ? "" : ": " + brief(innermost.getMessage()));
    return new Described(innermost.getClass().getName(), text, false);
  }

  /** Whether a retry may cure this, so that a line without the stack trace says enough. */
  public static boolean expected(Throwable failure) {
    return describe(failure).expected();
  }

  private static Described expected(String cause, String message) {
    return new Described(cause, message, true);
  }

  private static String brief(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.strip().replaceAll("\\s+", " ");
    return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
  }
}
