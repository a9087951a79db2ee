package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.SourcesSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The shared shipper's configuration and objects for a group of pipelines. */
class SharedShipperModelTest {

  private static final String OPERATOR_NAMESPACE = "logpipeline-system";

  static ShipperClass shipperClass(String name, String... clusterWide) {
    ShipperClass cls = new ShipperClass();
    cls.setMetadata(new ObjectMetaBuilder().withName(name).build());
    cls.getSpec().setClusterWideNamespaces(List.of(clusterWide));
    return cls;
  }

  private static Pipeline tenant(String name, String namespace, boolean json) {
    return Specs.resolve(Specs.pipeline(name, namespace, spec -> {
      SourcesSpec sources = new SourcesSpec();
      sources.setJson(json);
      spec.setSources(sources);
      spec.getKafka().setNamespace("kafka");
    }));
  }

  private static SharedShipperModel.Group group(Pipeline... pipelines) {
    ShipperClass cls = shipperClass("default", "logging");
    String name = SharedShipperModel.groupName("default", SharedShipperModel.connection(pipelines[0]));
    return new SharedShipperModel.Group(cls, OPERATOR_NAMESPACE, name, List.of(pipelines));
  }

  private static Map<String, Object> tree(String yaml) throws Exception {
    return ConfigFiles.YAML.readValue(yaml, new TypeReference<>() {});
  }

  @Test
  void filebeatYmlReloadsInputFilesAndRoutesByTheInputsTopicWithNoFallback() throws Exception {
    SharedShipperModel.Group g = group(tenant("a", "team-a", false));
    Map<String, Object> config = tree(SharedShipperModel.configMap(g).getData().get("filebeat.yml"));

    assertThat(config).doesNotContainKey("filebeat.inputs");
    @SuppressWarnings("unchecked")
    Map<String, Object> inputs = (Map<String, Object>) config.get("filebeat.config.inputs");
    assertThat(inputs).containsEntry("enabled", true).containsEntry("reload.enabled", true)
        .containsEntry("path", "/usr/share/filebeat/inputs.d/*.yml");
    @SuppressWarnings("unchecked")
    Map<String, Object> kafka = (Map<String, Object>) config.get("output.kafka");
    assertThat(kafka).containsEntry("topic", "%{[@metadata.logpipeline_topic]}")
        .containsEntry("required_acks", -1)
        .doesNotContainKey("topics").doesNotContainKey("default_topic");
  }

  @Test
  void eachInputSetsItsOwnTopicAfterJsonDecodingSoALineCannotRouteItself() throws Exception {
    Pipeline a = tenant("a", "team-a", true);
    ShipperClass cls = shipperClass("default");
    List<Map<String, Object>> file = ConfigFiles.YAML.readValue(
        SharedShipperModel.inputFile(a, cls.getSpec()), new TypeReference<>() {});

    assertThat(file).hasSize(1);
    Map<String, Object> input = file.get(0);
    assertThat(input).containsEntry("id", "logpipeline-team-a-a").containsEntry("type", "filestream");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> processors = (List<Map<String, Object>>) input.get("processors");
    int decode = indexOf(processors, "decode_json_fields");
    int route = indexOf(processors, "add_fields");
    assertThat(decode).isNotNegative();
    assertThat(route).isGreaterThan(decode).isEqualTo(processors.size() - 1);
    assertThat(processors.get(route).get("add_fields")).isEqualTo(Map.of(
        "target", "@metadata", "fields", Map.of("logpipeline_topic", a.topicName())));
  }

  private static int indexOf(List<Map<String, Object>> processors, String name) {
    for (int i = 0; i < processors.size(); i++) {
      if (processors.get(i).containsKey(name)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aTenantReadsOnlyItsOwnNamespaceAndNamingAnotherIsDenied() {
    ShipperClass cls = shipperClass("default", "logging");
    Pipeline own = tenant("a", "team-a", false);
    assertThat(SharedShipperModel.tenancyProblems(own, cls.getSpec())).isEmpty();
    assertThat(SharedShipperModel.sourcePaths(own, cls.getSpec()))
        .containsExactly("/var/log/containers/*_team-a_*.log");

    Pipeline other = Specs.resolve(Specs.pipeline("a", "team-a", spec -> {
      SourcesSpec sources = new SourcesSpec();
      sources.setNamespaces(List.of("team-a", "kube-system"));
      spec.setSources(sources);
    }));
    assertThat(SharedShipperModel.tenancyProblems(other, cls.getSpec()))
        .singleElement().satisfies(p -> {
          assertThat(p.field()).isEqualTo("spec.sources.namespaces");
          assertThat(p.message()).startsWith("CrossNamespaceSourceDenied").contains("kube-system");
        });

    Pipeline clusterWide = Specs.resolve(Specs.pipeline("all", "logging", spec -> { }));
    assertThat(SharedShipperModel.tenancyProblems(clusterWide, cls.getSpec())).isEmpty();
    assertThat(SharedShipperModel.sourcePaths(clusterWide, cls.getSpec()))
        .containsExactly("/var/log/containers/*.log");
  }

  @Test
  void thePodTemplateDependsOnFilebeatYmlOnlyNeverOnTheInputs() {
    SharedShipperModel.Group one = group(tenant("a", "team-a", false));
    SharedShipperModel.Group two = group(tenant("a", "team-a", false), tenant("b", "team-b", true));
    DaemonSet first = SharedShipperModel.daemonSet(one, SharedShipperModel.configMap(one));
    DaemonSet second = SharedShipperModel.daemonSet(two, SharedShipperModel.configMap(two));

    assertThat(second.getSpec().getTemplate()).isEqualTo(first.getSpec().getTemplate());
    assertThat(first.getMetadata().getNamespace()).isEqualTo(OPERATOR_NAMESPACE);
  }

  @Test
  void theInputsConfigMapIsMountedWholeAndNotWritableByGroupOrOthers() {
    SharedShipperModel.Group g = group(tenant("a", "team-a", false));
    DaemonSet ds = SharedShipperModel.daemonSet(g, SharedShipperModel.configMap(g));
    List<Volume> volumes = ds.getSpec().getTemplate().getSpec().getVolumes();
    Volume inputs = volumes.stream().filter(v -> v.getName().equals("inputs")).findFirst().orElseThrow();
    assertThat(inputs.getConfigMap().getName()).isEqualTo(SharedShipperModel.inputsName(g.name()));
    assertThat(inputs.getConfigMap().getItems()).isNullOrEmpty();
    assertThat(inputs.getConfigMap().getDefaultMode() & 0022).isZero();
    List<VolumeMount> mounts = ds.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts();
    assertThat(mounts).allSatisfy(m -> assertThat(m.getSubPath()).isNull());
    assertThat(mounts).filteredOn(m -> m.getName().equals("inputs")).singleElement()
        .extracting(VolumeMount::getMountPath).isEqualTo("/usr/share/filebeat/inputs.d");
  }

  @Test
  void theInputsConfigMapHasOneFilePerGivenPipeline() {
    Pipeline a = tenant("a", "team-a", false);
    Pipeline b = tenant("b", "team-b", false);
    SharedShipperModel.Group g = group(a, b);
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put(SharedShipperModel.inputKey(a), SharedShipperModel.inputFile(a, g.shipperClass().getSpec()));
    inputs.put(SharedShipperModel.inputKey(b), SharedShipperModel.inputFile(b, g.shipperClass().getSpec()));
    ConfigMap cm = SharedShipperModel.inputsConfigMap(g, inputs);
    assertThat(cm.getData()).containsOnlyKeys("team-a.a.yml", "team-b.b.yml");
    assertThat(SharedShipperModel.size(cm.getData())).isPositive();
  }

  @Test
  void twoKafkaConnectionsAreTwoGroupsAndOneConnectionIsOne() {
    Pipeline a = tenant("a", "team-a", false);
    Pipeline b = tenant("b", "team-b", true);
    Pipeline other = Specs.resolve(Specs.pipeline("c", "team-c", spec -> {
      spec.getKafka().setCluster("other");
      spec.getKafka().setNamespace("kafka");
    }));
    assertThat(SharedShipperModel.connection(a)).isEqualTo(SharedShipperModel.connection(b));
    assertThat(SharedShipperModel.groupName("default", SharedShipperModel.connection(a)))
        .isNotEqualTo(SharedShipperModel.groupName("default", SharedShipperModel.connection(other)))
        .matches("^[a-z]([-a-z0-9]*[a-z0-9])?$");
    assertThat(SharedShipperModel.inputsName(SharedShipperModel.groupName("x".repeat(253), "c")))
        .hasSizeLessThanOrEqualTo(Names.WORKLOAD_NAME_MAX);
  }

  @Test
  void aStrimziPipelineSharesWhateverItsSecurityAnExternalOneWithTheTenantsSecretsHasAGroupOfItsOwn() {
    ShipperClass cls = shipperClass("default");
    Pipeline plain = tenant("a", "team-a", false);
    assertThat(SharedShipperModel.ownGroup(plain)).isFalse();
    for (KafkaAuthenticationType type : List.of(KafkaAuthenticationType.NONE, KafkaAuthenticationType.SCRAM_SHA_512,
        KafkaAuthenticationType.TLS)) {
      for (boolean tls : new boolean[] {false, true}) {
        if (!tls && type == KafkaAuthenticationType.TLS) {
          continue;
        }
        Pipeline strimzi = Specs.resolve(Specs.pipeline("b", "team-b", inKafka(KafkaSecurityTest.kafka(true, tls, true, type))));
        Pipeline other = Specs.resolve(Specs.pipeline("b", "team-c", inKafka(KafkaSecurityTest.kafka(true, tls, true, type))));
        assertThat(SharedShipperModel.ownGroup(strimzi)).as("Strimzi, tls " + tls + ", " + type).isFalse();
        assertThat(ShipperAdmission.groupName(cls, strimzi)).isEqualTo(ShipperAdmission.groupName(cls, other));
        assertThat(SharedShipperModel.needsKafkaUser(strimzi)).isEqualTo(type != KafkaAuthenticationType.NONE);
      }
      if (type == KafkaAuthenticationType.NONE) {
        continue;
      }
      Pipeline external = Specs.resolve(Specs.pipeline("c", "team-c", KafkaSecurityTest.kafka(false, true, true, type)));
      Pipeline neighbour = Specs.resolve(Specs.pipeline("c", "team-d", KafkaSecurityTest.kafka(false, true, true, type)));
      assertThat(SharedShipperModel.ownGroup(external)).as("external, " + type).isTrue();
      assertThat(ShipperAdmission.groupName(cls, external)).isNotEqualTo(ShipperAdmission.groupName(cls, neighbour));
    }
    // A CA from the tenant's namespace is the tenant's too; the public trust store is nobody's.
    Pipeline caOnly = Specs.resolve(Specs.pipeline("d", "team-d",
        KafkaSecurityTest.kafka(false, true, true, KafkaAuthenticationType.NONE)));
    assertThat(SharedShipperModel.ownGroup(caOnly)).isTrue();
    Pipeline msk = Specs.resolve(Specs.pipeline("d", "team-d",
        KafkaSecurityTest.kafka(false, true, false, KafkaAuthenticationType.NONE)));
    assertThat(SharedShipperModel.ownGroup(msk)).isFalse();
  }

  static java.util.function.Consumer<io.logpipeline.operator.api.LogPipelineSpec> inKafka(
      java.util.function.Consumer<io.logpipeline.operator.api.LogPipelineSpec> security) {
    return spec -> {
      security.accept(spec);
      spec.getKafka().setNamespace("kafka");
    };
  }

  @Test
  void authenticationIsPartOfTheConnectionOnlyWhenThereIsOne() {
    Pipeline plain = tenant("a", "team-a", false);
    Pipeline scram = Specs.resolve(Specs.pipeline("b", "team-b",
        KafkaSecurityTest.kafka(true, false, false, KafkaAuthenticationType.SCRAM_SHA_512)));
    Pipeline tls = Specs.resolve(Specs.pipeline("c", "team-c",
        KafkaSecurityTest.kafka(true, true, false, KafkaAuthenticationType.NONE)));
    Pipeline mtls = Specs.resolve(Specs.pipeline("d", "team-d",
        KafkaSecurityTest.kafka(true, true, false, KafkaAuthenticationType.TLS)));
    // Groups without authentication keep the names they had.
    assertThat(SharedShipperModel.connection(plain)).doesNotContain("NONE");
    assertThat(java.util.Set.of(SharedShipperModel.connection(plain), SharedShipperModel.connection(scram),
        SharedShipperModel.connection(tls), SharedShipperModel.connection(mtls))).hasSize(4);
  }

  @Test
  void aGroupWithScramMountsItsCopyOfTheGroupUsersCredentials() {
    Pipeline a = Specs.resolve(Specs.pipeline("a", "team-a",
        KafkaSecurityTest.kafka(true, true, true, KafkaAuthenticationType.SCRAM_SHA_512)));
    SharedShipperModel.Group g = new SharedShipperModel.Group(shipperClass("default"), "logpipeline-system",
        "lp-shipper-default-0123abcd", List.of(a));
    var ds = SharedShipperModel.daemonSet(g, SharedShipperModel.configMap(g), "42");
    var pod = ds.getSpec().getTemplate();
    assertThat(pod.getSpec().getVolumes()).anySatisfy(v ->
        assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo("lp-shipper-default-0123abcd-kafka"));
    assertThat(pod.getSpec().getContainers().get(0).getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("KAFKA_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("lp-shipper-default-0123abcd-kafka");
    });
    assertThat(pod.getMetadata().getAnnotations()).containsKey(KafkaSecurity.SECRET_VERSION_ANNOTATION);
    var secret = SharedShipperModel.credentialsSecret(g, new KafkaSecurity.Credentials("ca", "lp-shipper-default-0123abcd",
        "pw", null, null, null));
    assertThat(secret.getMetadata().getNamespace()).isEqualTo("logpipeline-system");
    assertThat(secret.getData()).containsKeys("ca.crt", "username", "password", "sasl.jaas.config");
    assertThat(ConfigFiles.yaml(SharedShipperModel.filebeatConfig(g))).doesNotContain("pw");
  }
}
