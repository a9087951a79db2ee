package io.logpipeline.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.ArrayList;
import java.util.List;

/** Which containers' logs the pipeline collects, and how lines become events. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourcesSpec {

  /** Namespaces to collect from; empty means all but the excluded ones. */
  @JsonPropertyDescription("Namespaces to collect from. Empty: every namespace except excludeNamespaces.")
  private List<String> namespaces = new ArrayList<>();

  /** Namespaces never collected from. */
  @JsonPropertyDescription("Namespaces never collected from, e.g. kube-system.")
  private List<String> excludeNamespaces = new ArrayList<>();

  /** Only pods whose labels match. */
  @JsonPropertyDescription("Only pods whose labels match this selector (matchLabels and matchExpressions). Absent: every pod.")
  private LabelSelector podSelector;

  /** Only these container names. */
  @JsonPropertyDescription("Only containers with these names. Empty: every container.")
  private List<String> containers = new ArrayList<>();

  /** Decode each line as JSON into the event. */
  @JsonPropertyDescription("true: decode each log line as a JSON object into the event's fields.")
  private boolean json;

  /** Join lines into one event, e.g. stack traces. */
  @JsonPropertyDescription("Join consecutive lines into one event, e.g. a Java stack trace.")
  private MultilineSpec multiline;

  public List<String> getNamespaces() { return namespaces; }
  public void setNamespaces(List<String> namespaces) { this.namespaces = namespaces; }
  public List<String> getExcludeNamespaces() { return excludeNamespaces; }
  public void setExcludeNamespaces(List<String> excludeNamespaces) { this.excludeNamespaces = excludeNamespaces; }
  public LabelSelector getPodSelector() { return podSelector; }
  public void setPodSelector(LabelSelector podSelector) { this.podSelector = podSelector; }
  public List<String> getContainers() { return containers; }
  public void setContainers(List<String> containers) { this.containers = containers; }
  public boolean isJson() { return json; }
  public void setJson(boolean json) { this.json = json; }
  public MultilineSpec getMultiline() { return multiline; }
  public void setMultiline(MultilineSpec multiline) { this.multiline = multiline; }
}
