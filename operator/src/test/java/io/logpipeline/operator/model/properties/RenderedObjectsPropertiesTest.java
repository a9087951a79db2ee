package io.logpipeline.operator.model.properties;

import static io.logpipeline.operator.model.properties.KubernetesRules.DNS_1035;
import static io.logpipeline.operator.model.properties.KubernetesRules.RBAC_NAME;
import static io.logpipeline.operator.model.properties.KubernetesRules.WORKLOAD_NAME_MAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.logpipeline.operator.model.IndexerModel;
import io.logpipeline.operator.model.QueueDrain;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.Pipeline;
import io.logpipeline.operator.model.Render;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Property 2: every object the operator renders for a valid spec would pass the API server's
 * validation of names, namespaces and labels, and its workloads select their own pods.
 */
class RenderedObjectsPropertiesTest {

  @Test
  void everyObjectHasLegalNamesLabelsAndNamespace() {
    qt().withExamples(500).forAll(ValidLogPipelines.logPipelines())
        .checkAssert(RenderedObjectsPropertiesTest::rendersLegalObjects);
  }

  private static void rendersLegalObjects(LogPipeline lp) {
    Pipeline p = KubernetesRules.resolve(lp);
    Render render = Render.of(p);

    assertThat(render.objects()).extracting(HasMetadata::getKind).containsExactlyInAnyOrder(
        "ConfigMap", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "DaemonSet",
        "KafkaTopic", "ConfigMap", "StatefulSet", "Service", "PodDisruptionBudget");
    for (HasMetadata o : render.objects()) {
      String kind = o.getKind();
      String name = o.getMetadata().getName();
      String what = kind + " " + name;
      switch (kind) {
        case "DaemonSet", "StatefulSet", "Service", "ConfigMap", "ServiceAccount", "PodDisruptionBudget" -> {
          assertThat(name).as(what).hasSizeBetween(1, WORKLOAD_NAME_MAX).matches(DNS_1035);
          assertThat(o.getMetadata().getNamespace()).as(what + " namespace").isEqualTo(p.namespace());
        }
        case "KafkaTopic" -> {
          assertThat(KubernetesRules.isSubdomain(name)).as(what + " is a DNS-1123 subdomain").isTrue();
          assertThat(o.getMetadata().getNamespace()).as(what + " namespace").isEqualTo(p.kafkaNamespace());
        }
        case "ClusterRole", "ClusterRoleBinding" -> {
          assertThat(name).as(what).hasSizeBetween(1, KubernetesRules.SUBDOMAIN_MAX).matches(RBAC_NAME)
              .isNotIn(".", "..");
          assertThat(o.getMetadata().getNamespace()).as(what + " is cluster-scoped").isNull();
        }
        default -> fail("unexpected kind " + kind);
      }
      KubernetesRules.assertLegalLabels(what, o.getMetadata().getLabels());
      KubernetesRules.assertLegalAnnotationKeys(what, o.getMetadata().getAnnotations());
      assertThat(o.getMetadata().getLabels()).as(what + " labels")
          .containsEntry(Pipeline.LABEL_INSTANCE, p.instance())
          .containsEntry(Pipeline.LABEL_MANAGED_BY, Pipeline.MANAGED_BY)
          .containsKeys(Pipeline.LABEL_NAME, Pipeline.LABEL_COMPONENT);
    }

    DaemonSet ds = only(render, DaemonSet.class);
    StatefulSet deployment = only(render, StatefulSet.class);
    PodDisruptionBudget budget = only(render, PodDisruptionBudget.class);
    assertSelects("PodDisruptionBudget", budget.getSpec().getSelector().getMatchLabels(),
        deployment.getSpec().getTemplate());
    // A replica's claim and its drain Job (whose pods carry its name as a label) stay legal up
    // to the largest replica count.
    int last = 999;
    assertThat(KubernetesRules.isSubdomain(IndexerModel.claimName(p, last))).as("claim name").isTrue();
    assertThat(QueueDrain.jobName(p, last)).as("drain Job name").hasSizeBetween(1, 63).matches(DNS_1035);
    assertThat(QueueDrain.ordinal(p, IndexerModel.claimName(p, last))).contains(last);
    var job = QueueDrain.job(p, IndexerModel.configMap(p), IndexerModel.claimName(p, last), last);
    KubernetesRules.assertLegalLabels("drain Job pods", job.getSpec().getTemplate().getMetadata().getLabels());
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .as("the StatefulSet's selector does not take the drain Job's pods")
        .isNotEqualTo(Map.of())
        .satisfies(selector -> assertThat(job.getSpec().getTemplate().getMetadata().getLabels()
            .entrySet().containsAll(selector.entrySet())).isFalse());
    Service service = only(render, Service.class);
    assertSelects("DaemonSet", ds.getSpec().getSelector().getMatchLabels(), ds.getSpec().getTemplate());
    assertSelects("StatefulSet", deployment.getSpec().getSelector().getMatchLabels(),
        deployment.getSpec().getTemplate());
    assertSelects("Service", service.getSpec().getSelector(), deployment.getSpec().getTemplate());
    assertThat(ds.getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();
    assertThat(deployment.getSpec().getSelector().getMatchExpressions()).isNullOrEmpty();

    // References between the objects resolve.
    List<ConfigMap> configMaps = all(render, ConfigMap.class);
    ServiceAccount sa = only(render, ServiceAccount.class);
    ClusterRole role = only(render, ClusterRole.class);
    ClusterRoleBinding binding = only(render, ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
      assertThat(s.getNamespace()).isEqualTo(sa.getMetadata().getNamespace());
    });
    assertThat(ds.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(sa.getMetadata().getName());
    for (PodTemplateSpec template : List.of(ds.getSpec().getTemplate(), deployment.getSpec().getTemplate())) {
      template.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null).forEach(v ->
          assertThat(configMaps).extracting(c -> c.getMetadata().getName())
              .contains(v.getConfigMap().getName()));
    }
    KafkaTopic topic = only(render, KafkaTopic.class);
    assertThat(topic.getSpec().getTopicName()).isEqualTo(p.topicName());
  }

  private static void assertSelects(String what, Map<String, String> selector, PodTemplateSpec template) {
    Map<String, String> podLabels = template.getMetadata().getLabels();
    KubernetesRules.assertLegalLabels(what + " pod template", podLabels);
    KubernetesRules.assertLegalAnnotationKeys(what + " pod template", template.getMetadata().getAnnotations());
    KubernetesRules.assertLegalLabels(what + " selector", selector);
    assertThat(selector).as(what + " selector").isNotEmpty();
    assertThat(podLabels).as(what + " pod labels contain the selector").containsAllEntriesOf(selector);
  }

  static <T> T only(Render render, Class<T> type) {
    List<T> found = all(render, type);
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  static <T> List<T> all(Render render, Class<T> type) {
    return render.objects().stream().filter(type::isInstance).map(type::cast).toList();
  }
}
