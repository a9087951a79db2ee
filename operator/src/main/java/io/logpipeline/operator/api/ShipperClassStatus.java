package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The class's admission record: which pipelines each shared Filebeat serves. It is the memory of
 * sticky admission, so it survives an operator restart; the inputs themselves are in each group's
 * ConfigMap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ShipperClassStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pipelines admitted to the class's shared Filebeats, in all groups.")
  private Integer pipelines;

  @JsonPropertyDescription("One entry per Kafka connection the class ships to (a group: one DaemonSet and its ConfigMaps).")
  private List<Group> groups = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public Integer getPipelines() { return pipelines; }
  public void setPipelines(Integer pipelines) { this.pipelines = pipelines; }
  public List<Group> getGroups() { return groups; }
  public void setGroups(List<Group> groups) { this.groups = groups; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShipperClassStatus s && Objects.equals(observedGeneration, s.observedGeneration)
        && Objects.equals(pipelines, s.pipelines) && Objects.equals(groups, s.groups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, pipelines, groups);
  }

  /** One shared Filebeat: its Kafka connection and the pipelines admitted to it, in admission order. */
  public record Group(
      @JsonPropertyDescription("Name of the group's DaemonSet, ConfigMaps and ServiceAccount in the operator's namespace.") String name,
      @JsonPropertyDescription("The Kafka bootstrap servers the group ships to.") String bootstrapServers,
      @JsonPropertyDescription("Admitted pipelines as <namespace>/<name>, in admission order.") List<String> admitted,
      @JsonInclude(JsonInclude.Include.NON_EMPTY)
      @JsonPropertyDescription("Admitted pipelines whose changed input was taken out and is added again once Filebeat has stopped the old one.") List<Reconfiguring> reconfiguring) {

    public Group {
      admitted = admitted == null ? List.of() : List.copyOf(admitted);
      reconfiguring = reconfiguring == null ? List.of() : List.copyOf(reconfiguring);
    }
  }

  /** An input taken out of a group's ConfigMap at {@code removedAt}, to be added back changed. */
  public record Reconfiguring(
      @JsonPropertyDescription("The pipeline as <namespace>/<name>.") String pipeline,
      @JsonPropertyDescription("When its old input was removed (RFC 3339).") String removedAt) {}
}
