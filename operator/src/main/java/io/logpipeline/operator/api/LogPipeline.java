package io.logpipeline.operator.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.logpipeline.operator.model.SpecReader;

/**
 * One log pipeline: Filebeat on every node, a Strimzi Kafka topic as durable buffer, Logstash as
 * indexer and the index template in Elasticsearch or OpenSearch, declared as one resource.
 */
@Group(LogPipeline.GROUP)
@Version(LogPipeline.VERSION)
@ShortNames("lp")
@Categories("logging")
@AdditionalPrinterColumn(name = "Ready", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(name = "Flowing", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Flowing\")].status")
@AdditionalPrinterColumn(name = "Phase", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Shippers", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.shippers")
@AdditionalPrinterColumn(name = "Indexers", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.indexers")
@AdditionalPrinterColumn(name = "Lag", type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.flow.lag")
@AdditionalPrinterColumn(name = "Topic", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.buffer.topic")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class LogPipeline extends CustomResource<LogPipelineSpec, LogPipelineStatus>
    implements Namespaced {

  public static final String GROUP = "logpipeline.io";
  public static final String VERSION = "v1alpha1";
  /**
   * Annotation that lets a deletion finish without removing what lives outside Kubernetes (the
   * index template), for when the search cluster is gone for good: set it to "true".
   */
  public static final String SKIP_EXTERNAL_CLEANUP = GROUP + "/skip-external-cleanup";

  /**
   * Read through {@link SpecReader}: a spec that does not fit these types (a field this operator
   * does not know, a value of the wrong type) is kept and reported in the status, instead of
   * failing the informer's list and watch for every pipeline.
   */
  @Override
  @JsonDeserialize(using = SpecReader.SpecDeserializer.class)
  public void setSpec(LogPipelineSpec spec) {
    super.setSpec(spec);
  }

  /** Read as far as it fits: the status is computed anew at every reconcile. */
  @Override
  @JsonDeserialize(using = SpecReader.StatusDeserializer.class)
  public void setStatus(LogPipelineStatus status) {
    super.setStatus(status);
  }

  @Override
  protected LogPipelineSpec initSpec() {
    return new LogPipelineSpec();
  }

  @Override
  protected LogPipelineStatus initStatus() {
    return new LogPipelineStatus();
  }
}
