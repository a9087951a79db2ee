package io.logpipeline.operator.runtime;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.utils.Utils;

import java.io.File;
import java.util.Collection;
import java.util.function.UnaryOperator;

/**
 * The API server the operator talks to and where its address and credentials come from, found
 * the way fabric8 (and kubectl) finds them: a kubeconfig ({@code KUBECONFIG}, else
 * {@code ~/.kube/config}) and its current context; else the pod's service account; the
 * {@code kubernetes.master} system property or {@code KUBERNETES_MASTER} overrides the address.
 *
 * @param config the client configuration
 * @param source where it came from, for the start-up line: "kubeconfig /home/me/.kube/config,
 *     context kind-dev" or "the pod's service account"
 */
public record KubernetesTarget(Config config, String source) {

  /** Neither a kubeconfig nor a pod's environment: there is no API server to try. */
  public static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }

  /**
   * The target of this process' environment.
   *
   * @throws NotFound when there is no kubeconfig and the process is not in a pod
   */
  public static KubernetesTarget resolve() {
    return of(new ConfigBuilder().build(), Utils::getSystemPropertyOrEnvVar, Config.getKubeconfigFilenames());
  }

  /**
   * @param setting a fabric8 setting by its system property name ({@code kubernetes.master}),
   *     from the system properties or the environment ({@code KUBERNETES_MASTER})
   * @param kubeconfigFiles where a kubeconfig was looked for
   */
  static KubernetesTarget of(Config config, UnaryOperator<String> setting, Collection<String> kubeconfigFiles) {
    String master = setting.apply(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY);
    String overridden = master == null ? "" : "; address from kubernetes.master (KUBERNETES_MASTER)";
    NamedContext context = config.getCurrentContext();
    if (context != null) {
      File file = config.getFile();
      String user = context.getContext() == null ? null : context.getContext().getUser();
      return new KubernetesTarget(config, "kubeconfig " + (file == null ? "(merged)" : file.getPath())
          + ", context " + context.getName() + (user == null ? "" : ", user " + user) + overridden);
    }
    if (master != null) {
      return new KubernetesTarget(config, "the kubernetes.master system property (KUBERNETES_MASTER)"
          + (config.getAutoOAuthToken() != null || config.getOauthToken() != null
              ? " and a bearer token" : ""));
    }
    if (setting.apply(Config.KUBERNETES_SERVICE_HOST_PROPERTY) != null) {
      return new KubernetesTarget(config, config.getAutoOAuthToken() != null
          ? "the pod's service account"
          : "the pod's environment, without a service account token (automountServiceAccountToken: false?)");
    }
    String looked = "false".equalsIgnoreCase(setting.apply(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY))
        ? "no kubeconfig (kubernetes.auth.tryKubeConfig is false)"
        : "no kubeconfig at " + String.join(", ", kubeconfigFiles)
            + (setting.apply(Config.KUBERNETES_KUBECONFIG_FILE) == null
                ? " (set KUBECONFIG to use another file)" : " (named by KUBECONFIG)");
    throw new NotFound("no API server to connect to: " + looked
        + ", and not in a pod (KUBERNETES_SERVICE_HOST is not set)");
  }

  public String masterUrl() {
    return config.getMasterUrl();
  }
}
