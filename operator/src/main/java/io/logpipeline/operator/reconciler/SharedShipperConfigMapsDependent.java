package io.logpipeline.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.model.SharedShipperModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Each group's two ConfigMaps: filebeat.yml, whose hash rolls the pods, and the input files,
 * one per admitted pipeline whose input is live, which Filebeat reloads without a restart.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Selectors.SHARED_SHIPPER))
public class SharedShipperConfigMapsDependent extends SharedShipperDependent<ConfigMap> {

  public SharedShipperConfigMapsDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected List<ConfigMap> desired(ShipperClassContext shared) {
    List<ConfigMap> desired = new ArrayList<>();
    for (SharedShipperModel.Group g : shared.groups()) {
      ConfigMap config = shared.config(g);
      if (config != null) {
        desired.add(config);
      }
      desired.add(SharedShipperModel.inputsConfigMap(g, shared.plan().inputs().get(g.name())));
    }
    return desired;
  }

  /**
   * The data exactly: an input taken out is a key less, which a matcher that only asks whether
   * the desired data is contained in the actual would never write.
   */
  @Override
  public Matcher.Result<ConfigMap> match(ConfigMap actual, ConfigMap desired, ShipperClass primary,
      Context<ShipperClass> context) {
    Map<String, String> labels = actual.getMetadata().getLabels();
    boolean same = Objects.equals(orEmpty(actual.getData()), orEmpty(desired.getData()))
        && labels != null && labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
    return Matcher.Result.computed(same, desired);
  }

  private static Map<String, String> orEmpty(Map<String, String> data) {
    return data == null ? Map.of() : data;
  }
}
