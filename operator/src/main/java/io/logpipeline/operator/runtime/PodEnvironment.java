package io.logpipeline.operator.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/** What the operator knows of the pod it runs in: its namespace and a name for leader election. */
public final class PodEnvironment {

  /** Where Kubernetes mounts the namespace of the pod's service account. */
  public static final Path SERVICE_ACCOUNT_NAMESPACE =
      Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  private PodEnvironment() {
  }

  /**
   * The pod's namespace: env {@code POD_NAMESPACE} (the downward API), else the service account's
   * namespace file, else {@code default}.
   */
  public static String namespace() {
    return namespace(System.getenv(), SERVICE_ACCOUNT_NAMESPACE);
  }

  static String namespace(Map<String, String> env, Path serviceAccountNamespace) {
    String fromEnv = env.get("POD_NAMESPACE");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      if (Files.isReadable(serviceAccountNamespace)) {
        String fromFile = Files.readString(serviceAccountNamespace).trim();
        if (!fromFile.isEmpty()) {
          return fromFile;
        }
      }
    } catch (IOException e) {
      // Not in a pod, or no token mounted: fall through to the default.
    }
    return "default";
  }

  /**
   * A leader election identity: the pod's name (env {@code HOSTNAME}) and a random suffix, as
   * client-go does, so that two processes on one host never take each other for the leader.
   */
  public static String identity() {
    return hostname(System.getenv()) + "_" + UUID.randomUUID();
  }

  static String hostname(Map<String, String> env) {
    String host = env.get("HOSTNAME");
    if (host != null && !host.isBlank()) {
      return host.trim();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "logpipeline-operator";
    }
  }
}
