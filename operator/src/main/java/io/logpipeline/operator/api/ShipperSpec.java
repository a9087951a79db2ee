package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Filebeat DaemonSet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShipperSpec {

  /** Filebeat image. */
  @JsonPropertyDescription("Filebeat image. Default: the version this operator is tested with.")
  private String image;

  /** Container resources. */
  @JsonPropertyDescription("Filebeat container resources. Default: requests cpu 100m, memory 128Mi; limit memory 256Mi.")
  private ResourceRequirements resources;

  /** Nodes to run on. */
  @JsonPropertyDescription("Run Filebeat only on nodes with these labels. Empty: every schedulable node.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  /** Taints to tolerate, e.g. to collect from control-plane nodes. */
  @JsonPropertyDescription("Taints Filebeat tolerates, e.g. to collect from tainted or control-plane nodes.")
  private List<Toleration> tolerations = new ArrayList<>();

  /** Priority class, so the shipper is not evicted before the apps it collects from. */
  @JsonPropertyDescription("PriorityClass of the Filebeat pods, so they are not evicted before the workloads they collect from.")
  private String priorityClassName;

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
}
