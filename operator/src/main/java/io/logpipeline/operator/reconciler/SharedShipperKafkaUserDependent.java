package io.logpipeline.operator.reconciler;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.model.SharedShipperModel;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Each group's Strimzi KafkaUser, in the Kafka namespace, for a Kafka with authentication: one
 * identity for the group's Filebeats, allowed to write to exactly the topics of its pipelines.
 * Owned by the (cluster-scoped) class; deleted when its group stops.
 */
@KubernetesDependent(informer = @Informer(
    namespaces = Constants.WATCH_ALL_NAMESPACES, labelSelector = Selectors.SHARED_SHIPPER))
public class SharedShipperKafkaUserDependent extends SharedShipperDependent<KafkaUser> {

  private static final ObjectMapper JSON = new ObjectMapper();

  public SharedShipperKafkaUserDependent() {
    super(KafkaUser.class);
  }

  @Override
  protected List<KafkaUser> desired(ShipperClassContext shared) {
    List<KafkaUser> desired = new ArrayList<>();
    for (SharedShipperModel.Group g : shared.groups()) {
      KafkaUser user = shared.kafkaUser(g);
      if (user != null) {
        desired.add(user);
      }
    }
    return desired;
  }

  /**
   * The spec exactly: an ACL taken out is an entry less, which a matcher that only asks whether
   * the desired is contained in the actual would never write.
   */
  @Override
  public Matcher.Result<KafkaUser> match(KafkaUser actual, KafkaUser desired, ShipperClass primary,
      Context<ShipperClass> context) {
    Map<String, String> labels = actual.getMetadata().getLabels();
    boolean same = JSON.valueToTree(actual.getSpec()).equals(JSON.valueToTree(desired.getSpec()))
        && labels != null && labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet());
    return Matcher.Result.computed(same, desired);
  }
}
