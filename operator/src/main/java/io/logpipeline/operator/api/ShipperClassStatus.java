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

  /** One shared Filebeat: its Kafka connection and its pipelines, admitted ones in admission order. */
  public record Group(
      @JsonPropertyDescription("Name of the group's DaemonSet, ConfigMaps and ServiceAccount in the operator's namespace.") String name,
      @JsonPropertyDescription("The Kafka bootstrap servers the group ships to.") String bootstrapServers,
      @JsonPropertyDescription("The pipelines of the group: admitted ones first, in admission order, then those waiting for admission.") List<Member> pipelines,
      @JsonPropertyDescription("The group's DaemonSet: Ready, RollingOut, NodesNotReady, NoNodes or Creating. Without node counts, so that a rollout does not rewrite the status of every pipeline of the group.") String shipper) {

    public Group {
      pipelines = pipelines == null ? List.of() : List.copyOf(pipelines);
    }

    public Group withShipper(String state) {
      return new Group(name, bootstrapServers, pipelines, state);
    }
  }

  /** A pipeline's place in a group. */
  public record Member(
      @JsonPropertyDescription("The pipeline as <namespace>/<name>.") String pipeline,
      @JsonPropertyDescription("Configured (its input is loaded), WaitingForTopic, WaitingForKafkaUser (the group's Strimzi KafkaUser may not write to its topic yet), Reconfiguring (its changed input is added again once Filebeat has stopped the old one), Removing (its input is out; its topic waits until Filebeat has stopped reading for it and the group's KafkaUser no longer names it); not admitted: MaxPipelinesExceeded, ConfigTooLarge.") String state,
      @JsonPropertyDescription("When the pipeline entered this state (RFC 3339).") String since) {}
}
