package io.logpipeline.operator.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodEnvironmentTest {

  @Test
  void leaseNamespaceIsThePodsThenTheServiceAccountsThenDefault(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("namespace");
    assertThat(PodEnvironment.namespace(Map.of(), file)).isEqualTo("default");
    Files.writeString(file, "logpipeline-system\n");
    assertThat(PodEnvironment.namespace(Map.of(), file)).isEqualTo("logpipeline-system");
    assertThat(PodEnvironment.namespace(Map.of("POD_NAMESPACE", "ops"), file)).isEqualTo("ops");
    assertThat(PodEnvironment.namespace(Map.of("POD_NAMESPACE", " "), file)).isEqualTo("logpipeline-system");
  }

  @Test
  void identityIsThePodNameAndUniquePerProcess() {
    assertThat(PodEnvironment.hostname(Map.of("HOSTNAME", "logpipeline-operator-7d9f-abcde")))
        .isEqualTo("logpipeline-operator-7d9f-abcde");
    assertThat(PodEnvironment.hostname(Map.of())).isNotBlank();
    assertThat(PodEnvironment.identity()).isNotEqualTo(PodEnvironment.identity())
        .matches(".+_[0-9a-f-]{36}");
  }
}
