package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

  static <T extends Throwable> T causedBy(T t, Throwable cause) {
    t.initCause(cause);
    return t;
  }

  @Test
  void theJdkClientsConnectFailuresAreToldApartByTheirCauses() {
    // What JDK 17's HttpClient throws, as seen through fabric8 (a CompletionException around it).
    var refused = new CompletionException(causedBy(new ConnectException(), new ClosedChannelException()));
    var unknownHost = new CompletionException(causedBy(new ConnectException(), new UnresolvedAddressException()));
    assertThat(Failures.describe(refused)).isEqualTo(
        new Failures.Described("connection refused", "connection refused", true));
    assertThat(Failures.describe(unknownHost)).isEqualTo(
        new Failures.Described("unknown host", "unknown host name", true));
    assertThat(Failures.describe(new HttpConnectTimeoutException("HTTP connect timed out")).message())
        .isEqualTo("timed out");
    assertThat(Failures.describe(new IOException("connection reset")).message())
        .isEqualTo("IOException: connection reset");
  }

  @Test
  void anHttpStatusIsItsCodeAndTheServersMessage() {
    var forbidden = new KubernetesClientException(new StatusBuilder().withCode(403)
        .withMessage("leases.coordination.k8s.io is forbidden: User \"system:serviceaccount:ops:op\" cannot get").build());
    Failures.Described d = Failures.describe(new KubernetesClientException("Operation failed", forbidden));
    assertThat(d.cause()).isEqualTo("HTTP 403");
    assertThat(d.message()).isEqualTo("HTTP 403 leases.coordination.k8s.io is forbidden: User"
        + " \"system:serviceaccount:ops:op\" cannot get");
    assertThat(d.expected()).isTrue();
  }

  @Test
  void anythingElseIsUnexpectedAndKeepsItsClassName() {
    Failures.Described d = Failures.describe(new KubernetesClientException("decoding failed",
        new IllegalStateException("no such field")));
    assertThat(d.expected()).isFalse();
    assertThat(d.message()).isEqualTo("IllegalStateException: no such field");
    assertThat(Failures.expected(new NullPointerException())).isFalse();
  }
}
