package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesTargetTest {

  static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      clusters:
      - name: dev
        cluster: {server: "https://dev.example:6443"}
      users:
      - name: alice
        user: {token: not-a-real-token}
      contexts:
      - name: dev-alice
        context: {cluster: dev, user: alice}
      current-context: dev-alice
      """;

  @Test
  void aKubeconfigIsNamedWithItsContextAndUser(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("config"), KUBECONFIG);
    Config config = Config.fromKubeconfig(null, file.toFile());

    KubernetesTarget target = KubernetesTarget.of(config, Map.<String, String>of()::get, List.of(file.toString()));

    assertThat(target.masterUrl()).isEqualTo("https://dev.example:6443/");
    assertThat(target.source()).isEqualTo("kubeconfig " + file + ", context dev-alice, user alice");
  }

  @Test
  void inAPodItIsTheServiceAccount() {
    Config config = new ConfigBuilder(Config.empty()).withMasterUrl("https://10.96.0.1:443").build();
    config.setAutoOAuthToken("token from the mounted file");

    KubernetesTarget target = KubernetesTarget.of(config,
        Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1")::get, List.of("/home/op/.kube/config"));

    assertThat(target.source()).isEqualTo("the pod's service account");
  }

  @Test
  void neitherAKubeconfigNorAPodIsAnErrorThatSaysWhereItLooked() {
    assertThatThrownBy(() -> KubernetesTarget.of(Config.empty(), Map.<String, String>of()::get,
        List.of("/home/op/.kube/config")))
        .isInstanceOf(KubernetesTarget.NotFound.class)
        .hasMessage("no API server to connect to: no kubeconfig at /home/op/.kube/config (set KUBECONFIG"
            + " to use another file), and not in a pod (KUBERNETES_SERVICE_HOST is not set)");
    assertThatThrownBy(() -> KubernetesTarget.of(Config.empty(), Map.of("kubeconfig", "/etc/kube.yaml")::get,
        List.of("/etc/kube.yaml")))
        .hasMessageContaining("no kubeconfig at /etc/kube.yaml (named by KUBECONFIG)");
  }
}
