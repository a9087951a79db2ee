package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a node's container runtime keeps the files the {@code /var/log/containers} links point
 * to, which decides what Filebeat must mount to read them.
 */
public enum ContainerRuntime {
  /** containerd or CRI-O: the files are under /var/log/pods, inside the /var/log mount. */
  @JsonProperty("containerd")
  CONTAINERD,
  /** Docker (dockershim, cri-dockerd): the files are under /var/lib/docker/containers. */
  @JsonProperty("docker")
  DOCKER
}
