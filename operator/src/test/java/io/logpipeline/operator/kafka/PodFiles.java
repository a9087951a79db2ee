package io.logpipeline.operator.kafka;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kubelet would give one container of a rendered pod template: its environment (values and
 * secretKeyRefs resolved from the given Secrets) and its Secret volumes, written to a temporary
 * directory, so that a test reads the files at the paths the generated configuration names.
 */
final class PodFiles {

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  private final Map<String, String> env = new HashMap<>();
  private final Map<String, Path> mounts = new HashMap<>();

  /** The container {@code name} of {@code template}, with {@code secrets} (by name) as the cluster has them. */
  PodFiles(PodTemplateSpec template, String name, Map<String, Secret> secrets, Path root) {
    Container container = template.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    for (EnvVar e : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      if (e.getValue() != null) {
        env.put(e.getName(), e.getValue());
      } else if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
        var ref = e.getValueFrom().getSecretKeyRef();
        env.put(e.getName(), decode(secrets.get(ref.getName()), ref.getKey()));
      }
    }
    for (VolumeMount m : container.getVolumeMounts()) {
      // A mount without a pod volume is a StatefulSet's claim template (the queue): no credentials there.
      Volume v = template.getSpec().getVolumes().stream().filter(x -> x.getName().equals(m.getName()))
          .findFirst().orElse(null);
      if (v == null || v.getSecret() == null) {
        continue;
      }
      Secret secret = secrets.get(v.getSecret().getSecretName());
      Path dir = root.resolve(m.getName());
      try {
        Files.createDirectories(dir);
        for (String key : secret.getData().keySet()) {
          Files.writeString(dir.resolve(key), decode(secret, key));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      mounts.put(m.getMountPath(), dir);
    }
  }

  /** Replaces {@code ${VAR}} as Filebeat and Logstash do with the container's environment. */
  String substitute(String text) {
    Matcher m = ENV_REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        throw new AssertionError("${" + m.group(1) + "} is not in the container's environment");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  void setEnv(String name, String value) {
    env.put(name, value);
  }

  /** The local file for a path inside the container; fails when no Secret volume holds it. */
  Path file(String podPath) {
    for (var mount : mounts.entrySet()) {
      if (podPath.startsWith(mount.getKey() + "/")) {
        Path local = mount.getValue().resolve(podPath.substring(mount.getKey().length() + 1));
        if (!Files.exists(local)) {
          throw new AssertionError(podPath + " is not in the mounted Secret");
        }
        return local;
      }
    }
    throw new AssertionError(podPath + " is on no Secret volume of the container");
  }

  String read(String podPath) {
    try {
      return Files.readString(file(podPath));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String decode(Secret secret, String key) {
    if (secret == null || secret.getData() == null || secret.getData().get(key) == null) {
      throw new AssertionError("no key " + key + " in Secret " + (secret == null ? null : secret.getMetadata().getName()));
    }
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }
}
