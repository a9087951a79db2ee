package io.logpipeline.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * How the node agent (Filebeat) runs for the LogPipelines that name this class: shared by all of
 * them or one per pipeline, with which image, resources and scheduling, and which namespaces may
 * collect beyond their own. Cluster-scoped: set by the cluster's administrators, not by tenants.
 */
@Group(LogPipeline.GROUP)
@Version(LogPipeline.VERSION)
@Categories("logging")
@AdditionalPrinterColumn(name = "Mode", type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".spec.mode")
@AdditionalPrinterColumn(name = "Pipelines", type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.pipelines")
@AdditionalPrinterColumn(name = "Age", type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class ShipperClass extends CustomResource<ShipperClassSpec, ShipperClassStatus> {

  /** The class a LogPipeline without {@code spec.shipper.className} uses: set to "true". */
  public static final String DEFAULT_CLASS_ANNOTATION = LogPipeline.GROUP + "/default-class";

  @Override
  protected ShipperClassSpec initSpec() {
    return new ShipperClassSpec();
  }

  @Override
  protected ShipperClassStatus initStatus() {
    return new ShipperClassStatus();
  }

  /** True when the class carries {@link #DEFAULT_CLASS_ANNOTATION}: "true". */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isDefault() {
    return getMetadata() != null && getMetadata().getAnnotations() != null
        && "true".equals(getMetadata().getAnnotations().get(DEFAULT_CLASS_ANNOTATION));
  }
}
