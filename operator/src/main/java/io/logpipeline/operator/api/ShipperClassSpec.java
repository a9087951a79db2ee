package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The node agent of a ShipperClass: mode, bounds, tenancy, and the Filebeat pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShipperClassSpec {

  /** Largest inputs ConfigMap the class renders; the API server's limit is 1 MiB in all. */
  public static final int MAX_CONFIG_BYTES = 900 * 1024;

  @Default("Shared")
  @JsonPropertyDescription("Shared: one Filebeat per node per Kafka connection for all pipelines of the class, one input each. Dedicated: one Filebeat DaemonSet per pipeline. Either way in the operator's namespace, owned by this class.")
  private ShipperMode mode = ShipperMode.SHARED;

  @Min(1)
  @Default("50")
  @JsonPropertyDescription("Most pipelines one shared Filebeat serves. Admission is sticky: a new pipeline never evicts an admitted one; one beyond the bound waits with ShipperConfigured=False, reason MaxPipelinesExceeded.")
  private int maxPipelines = 50;

  @Min(1024)
  @Max(MAX_CONFIG_BYTES)
  @Default("524288")
  @JsonPropertyDescription("Most bytes of input files in one shared ConfigMap. A pipeline whose input would go beyond waits with ShipperConfigured=False, reason ConfigTooLarge.")
  private int maxConfigBytes = 524_288;

  @JsonPropertyDescription("Namespaces whose LogPipelines may collect from other namespaces (sources.namespaces, or every namespace when empty). A LogPipeline elsewhere collects only its own namespace; naming another is refused (Valid=False, CrossNamespaceSourceDenied).")
  private List<String> clusterWideNamespaces = new ArrayList<>();

  @JsonPropertyDescription("Filebeat image. Default: the version this operator is tested with.")
  private String image;

  @JsonPropertyDescription("Filebeat container resources. Default: requests cpu 100m, memory 128Mi; limit memory 256Mi.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Run Filebeat only on nodes with these labels, besides kubernetes.io/os: linux. Empty: every Linux node.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("Taints Filebeat tolerates. Absent: every taint ([{operator: Exists}]). [] tolerates none.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription("PriorityClass of the Filebeat pods. Absent: system-node-critical. \"\": none.")
  private String priorityClassName;

  @JsonPropertyDescription("The nodes' container runtime. containerd (default; also right for CRI-O) or docker (/var/lib/docker/containers is mounted too).")
  private ContainerRuntime containerRuntime;

  @JsonPropertyDescription("Security context fields that replace the Filebeat container's defaults (root, read-only root filesystem, no privilege escalation, all capabilities dropped).")
  private SecurityContext securityContext;

  public ShipperMode getMode() { return mode; }
  public void setMode(ShipperMode mode) { this.mode = mode; }
  public int getMaxPipelines() { return maxPipelines; }
  public void setMaxPipelines(int maxPipelines) { this.maxPipelines = maxPipelines; }
  public int getMaxConfigBytes() { return maxConfigBytes; }
  public void setMaxConfigBytes(int maxConfigBytes) { this.maxConfigBytes = maxConfigBytes; }
  public List<String> getClusterWideNamespaces() { return clusterWideNamespaces; }
  public void setClusterWideNamespaces(List<String> clusterWideNamespaces) { this.clusterWideNamespaces = clusterWideNamespaces; }
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

  /** The Filebeat pod settings as a pipeline's shipper block, which the model already renders. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public ShipperSpec podSettings() {
    ShipperSpec shipper = new ShipperSpec();
    shipper.setImage(image);
    shipper.setResources(resources);
    shipper.setNodeSelector(nodeSelector);
    shipper.setTolerations(tolerations);
    shipper.setPriorityClassName(priorityClassName);
    shipper.setContainerRuntime(containerRuntime);
    shipper.setSecurityContext(securityContext);
    return shipper;
  }
}
