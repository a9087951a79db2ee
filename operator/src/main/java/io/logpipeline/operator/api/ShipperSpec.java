package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Filebeat DaemonSet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShipperSpec {

  /** The ShipperClass that runs this pipeline's Filebeat input. */
  @JsonPropertyDescription("The ShipperClass that runs this pipeline's node agent. Absent: the class annotated logpipeline.io/default-class: \"true\". The class's image, resources and scheduling apply; the fields below apply only to pipelines without a class (the per-pipeline DaemonSet of earlier versions).")
  private String className;

  /** Filebeat image. */
  @JsonPropertyDescription("Filebeat image. Default: the version this operator is tested with.")
  private String image;

  /** Container resources. */
  @JsonPropertyDescription("Filebeat container resources. Default: requests cpu 100m, memory 128Mi; limit memory 256Mi.")
  private ResourceRequirements resources;

  /** Nodes to run on. */
  @JsonPropertyDescription("Run Filebeat only on nodes with these labels, besides kubernetes.io/os: linux. Empty: every Linux node.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  /** Taints to tolerate; absent means every taint, so tainted nodes are collected too. */
  @JsonPropertyDescription("Taints Filebeat tolerates. Absent: every taint ([{operator: Exists}]), so GPU, Karpenter and other tainted nodes are collected too. [] tolerates none.")
  private List<Toleration> tolerations;

  /** Priority class, so the shipper is not evicted before the apps it collects from. */
  @JsonPropertyDescription("PriorityClass of the Filebeat pods, so they are scheduled and kept before the workloads they collect from. Absent: system-node-critical. \"\": none.")
  private String priorityClassName;

  /** Which runtime writes the nodes' container logs, which decides the mounts. */
  @JsonPropertyDescription("The nodes' container runtime. containerd (default; also right for CRI-O): the logs are under /var/log. docker: /var/lib/docker/containers is mounted too.")
  private ContainerRuntime containerRuntime;

  /** Fields of the Filebeat container's security context that replace the defaults. */
  @JsonPropertyDescription("Security context fields that replace the Filebeat container's defaults (root, read-only root filesystem, no privilege escalation, all capabilities dropped). On SELinux-enforcing nodes: seLinuxOptions.type spc_t (RHEL, OpenShift) or super_t (Bottlerocket), or privileged: true.")
  private SecurityContext securityContext;

  public String getClassName() { return className; }
  public void setClassName(String className) { this.className = className; }
  public String getImage() { return image; }
  public void setImage(String image) { this.image = image; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> nodeSelector) { this.nodeSelector = nodeSelector; }
  public List<Toleration> getTolerations() { return tolerations; }
  public void setTolerations(List<Toleration> tolerations) { this.tolerations = tolerations; }
  public String getPriorityClassName() { return priorityClassName; }
  public void setPriorityClassName(String priorityClassName) { this.priorityClassName = priorityClassName; }
  public ContainerRuntime getContainerRuntime() { return containerRuntime; }
  public void setContainerRuntime(ContainerRuntime containerRuntime) { this.containerRuntime = containerRuntime; }
  public SecurityContext getSecurityContext() { return securityContext; }
  public void setSecurityContext(SecurityContext securityContext) { this.securityContext = securityContext; }
}
