package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.api.TlsSpec;
import io.logpipeline.operator.model.LogstashConfig.Bareword;
import io.logpipeline.operator.model.LogstashConfig.Plugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IndexerModelTest {

  private static final Pipeline PAYMENTS = Specs.resolve(Specs.minimal());
  private static final String GROK = "grok { match => { \"message\" => \"%{COMBINEDAPACHELOG}\" } }";

  // ---------------------------------------------------------------- pipeline: input

  @Nested
  class KafkaInput {

    private final Plugin kafka = conf(PAYMENTS).plugin("input", "kafka");

    @Test
    void isTheOnlyInput() {
      assertThat(conf(PAYMENTS).section("input")).hasSize(1);
      assertThat(conf(PAYMENTS).sectionNames()).containsExactly("input", "filter", "output");
    }

    @Test
    void readsThePipelinesTopicFromTheBootstrapAddress() {
      assertThat(kafka.get("topics")).isEqualTo(List.of("logs.logging.payments"));
      assertThat(kafka.get("bootstrap_servers")).isEqualTo("my-cluster-kafka-bootstrap.logging.svc:9092");
      Plugin custom = conf(Specs.resolve(spec -> {
        spec.getKafka().setBootstrapServers("b-1.msk:9092,b-2.msk:9092");
        spec.getKafka().getTopic().setName("Team_Logs");
      })).plugin("input", "kafka");
      assertThat(custom.get("bootstrap_servers")).isEqualTo("b-1.msk:9092,b-2.msk:9092");
      assertThat(custom.get("topics")).isEqualTo(List.of("Team_Logs"));
    }

    @Test
    void decodesFilebeatsJsonEvents() {
      assertThat(kafka.get("codec")).isEqualTo(new Bareword("json"));
    }

    @Test
    void oneConsumerGroupPerPipeline() {
      Object group = kafka.get("group_id");
      assertThat(group).isInstanceOf(String.class).isEqualTo(PAYMENTS.consumerGroup());
      assertThat(conf(Specs.resolve(Specs.minimal())).plugin("input", "kafka").get("group_id"))
          .as("stable").isEqualTo(group);
      assertThat(conf(Specs.resolve(Specs.pipeline("orders", "logging", s -> { })))
          .plugin("input", "kafka").get("group_id")).isNotEqualTo(group);
      assertThat(conf(Specs.resolve(Specs.pipeline("payments", "shop", s -> { })))
          .plugin("input", "kafka").get("group_id")).isNotEqualTo(group);
    }

    @Test
    void aNewGroupStartsAtTheOldestBufferedEvent() {
      assertThat(kafka.get("auto_offset_reset")).isEqualTo("earliest");
    }

    @Test
    void identifiesEachPodToKafka() {
      assertThat(String.valueOf(kafka.get("client_id"))).contains("${HOSTNAME}");
    }
  }

  @ParameterizedTest(name = "{0} partitions, {1} replicas -> {2} threads")
  @CsvSource({"6, 2, 3", "6, 1, 6", "6, 4, 1", "3, 6, 1", "12, 3, 4", "7, 2, 3", "6, 0, 6"})
  void consumerThreadsSplitThePartitionsAcrossReplicas(int partitions, int replicas, long threads) {
    Pipeline p = Specs.resolve(spec -> {
      spec.getKafka().getTopic().setPartitions(partitions);
      spec.getIndexer().setReplicas(replicas);
    });
    assertThat(IndexerModel.consumerThreads(p)).isEqualTo((int) threads);
    assertThat(conf(p).plugin("input", "kafka").get("consumer_threads")).isEqualTo(threads);
  }

  // ---------------------------------------------------------------- pipeline: filter

  @Test
  void theUsersFilterRunsInsideTheFilterSection() {
    Pipeline p = Specs.resolve(spec -> spec.getIndexer().setFilter(GROK + "\n"
        + "mutate {\n  remove_field => [\"agent\", \"ecs\"]\n}\n"
        + "date { match => [\"time\", \"ISO8601\"] }\n"));
    LogstashConfig conf = conf(p);
    Plugin grok = conf.plugin("filter", "grok");
    assertThat(grok.get("match")).isEqualTo(Map.of("message", "%{COMBINEDAPACHELOG}"));
    assertThat(conf.plugin("filter", "mutate").get("remove_field")).isEqualTo(List.of("agent", "ecs"));
    assertThat(conf.plugin("filter", "date").get("match")).isEqualTo(List.of("time", "ISO8601"));
    assertThat(conf.section("input")).extracting(Plugin::name).containsExactly("kafka");
    assertThat(conf.section("output")).extracting(Plugin::name).containsExactly("elasticsearch");
    // the user's plugins keep their order
    List<String> names = conf.section("filter").stream().map(Plugin::name).toList();
    assertThat(names.indexOf("grok")).isLessThan(names.indexOf("mutate"));
    assertThat(names.indexOf("mutate")).isLessThan(names.indexOf("date"));
  }

  @Test
  void withoutAFilterEventsPassUnchangedApartFromTheDocumentId() {
    assertThat(conf(PAYMENTS).section("filter")).extracting(Plugin::name)
        .containsExactly("fingerprint");
    assertThat(conf(Specs.resolve(spec -> spec.getIndexer().setFilter("  \n"))).section("filter"))
        .extracting(Plugin::name).containsExactly("fingerprint");
  }

  @Test
  void canariesPassAroundTheUsersFilterToTheirOwnIndexUnderTheirPipelinesId() {
    Pipeline p = Specs.resolve(spec -> spec.getIndexer().setFilter(GROK));
    LogstashConfig conf = conf(p);
    assertThat(conf.plugin("input", "kafka").get("decorate_events")).isEqualTo("extended");
    assertThat(conf.canary("filter")).as("the user's filter never sees a canary").isEmpty();
    assertThat(conf.section("filter")).extracting(Plugin::condition)
        .containsOnly("!" + LogstashConfig.CANARY);
    assertThat(conf.canary("output")).singleElement().satisfies(out -> {
      assertThat(out.name()).isEqualTo("elasticsearch");
      assertThat(out.get("index")).isEqualTo(CanaryModel.INDEX);
      assertThat(out.get("document_id")).isEqualTo("%{[@metadata][kafka][headers][" + CanaryModel.HEADER + "]}");
      assertThat(out.get("hosts")).isEqualTo(conf.plugin("output", "elasticsearch").get("hosts"));
    });
    assertThat(conf.plugin("output", "elasticsearch").condition()).isEqualTo("!" + LogstashConfig.CANARY);
  }

  @Test
  void theDocumentIdIsComputedBeforeTheUsersFilterAndUsedByTheOutput() {
    Pipeline p = Specs.resolve(spec -> spec.getIndexer().setFilter(GROK));
    LogstashConfig conf = conf(p);
    assertThat(conf.section("filter").get(0).name()).isEqualTo("fingerprint");
    Plugin fingerprint = conf.plugin("filter", "fingerprint");
    String target = String.valueOf(fingerprint.get("target"));
    assertThat(conf.plugin("output", "elasticsearch").get("document_id"))
        .isEqualTo("%{" + target + "}");
    assertThat(target).startsWith("[@metadata]");
  }

  @Test
  void theDocumentIdTellsRotatedFilesApart() {
    Object sources = conf(PAYMENTS).plugin("filter", "fingerprint").get("source");
    assertThat(sources).asList().anySatisfy(s -> assertThat(String.valueOf(s))
        .containsAnyOf("@timestamp", "inode", "fingerprint", "device_id"));
  }

  // ---------------------------------------------------------------- pipeline: output

  @Nested
  class SearchOutput {

    @Test
    void writesDailyIndicesWithoutManagingTheTemplate() {
      Plugin es = conf(PAYMENTS).plugin("output", "elasticsearch");
      assertThat(conf(PAYMENTS).section("output")).hasSize(1);
      assertThat(es.get("hosts")).isEqualTo(List.of(Specs.HOST));
      assertThat(es.get("index")).isEqualTo("logs-logging.payments_%{+YYYY.MM.dd}");
      assertThat(es.get("manage_template")).isEqualTo(new Bareword("false"));
      assertThat(es.get("ilm_enabled")).isEqualTo(new Bareword("false"));
      assertThat(es.settings()).doesNotContainKey("action");
    }

    @Test
    void theTemplateMatchesTheIndicesTheOutputWrites() {
      String index = String.valueOf(conf(PAYMENTS).plugin("output", "elasticsearch").get("index"));
      String today = index.replace("%{+YYYY.MM.dd}", "2025.01.31");
      JsonNode patterns = IndexTemplateModel.body(PAYMENTS).get("index_patterns");
      assertThat(patterns).anySatisfy(pattern ->
          assertThat(today).matches(pattern.asText().replace(".", "\\.").replace("*", ".*")));
    }

    @Test
    void writesABareIndexWithCreateForADataStream() {
      Pipeline p = Specs.resolve(spec -> spec.getElasticsearch().getTemplate().setDataStream(true));
      Plugin es = conf(p).plugin("output", "elasticsearch");
      assertThat(es.get("index")).isEqualTo("logs-logging.payments");
      assertThat(es.get("action")).isEqualTo("create");
      assertThat(es.get("manage_template")).isEqualTo(new Bareword("false"));
    }

    @Test
    void writesAllHosts() {
      Pipeline p = Specs.resolve(spec -> spec.getElasticsearch().setHosts(new ArrayList<>(
          List.of("https://es-0.elastic.svc:9200", "https://es-1.elastic.svc:9200"))));
      assertThat(conf(p).plugin("output", "elasticsearch").get("hosts"))
          .isEqualTo(List.of("https://es-0.elastic.svc:9200", "https://es-1.elastic.svc:9200"));
    }

    @Test
    void opensearchUsesTheOpensearchOutputAndImage() {
      Pipeline p = Specs.resolve(spec -> spec.getElasticsearch().setFlavor(Flavor.OPENSEARCH));
      LogstashConfig conf = conf(p);
      assertThat(conf.section("output")).extracting(Plugin::name).containsExactly("opensearch");
      Plugin os = conf.plugin("output", "opensearch");
      assertThat(os.get("manage_template")).isEqualTo(new Bareword("false"));
      assertThat(os.get("index")).isEqualTo("logs-logging.payments_%{+YYYY.MM.dd}");
      assertThat(container(p).getImage()).isEqualTo(IndexerModel.DEFAULT_OPENSEARCH_IMAGE);
      assertThat(container(PAYMENTS).getImage()).isEqualTo(IndexerModel.DEFAULT_IMAGE);
    }

    @Test
    void anExplicitImageWinsForEitherFlavor() {
      Pipeline p = Specs.resolve(spec -> {
        spec.getElasticsearch().setFlavor(Flavor.OPENSEARCH);
        spec.getIndexer().setImage("registry.example/logstash:custom");
      });
      assertThat(container(p).getImage()).isEqualTo("registry.example/logstash:custom");
    }
  }

  // ---------------------------------------------------------------- credentials and TLS

  @Nested
  class Credentials {

    @Test
    void noCredentialsWithoutASecret() {
      Plugin es = conf(PAYMENTS).plugin("output", "elasticsearch");
      assertThat(es.settings()).doesNotContainKeys("user", "password");
      assertThat(container(PAYMENTS).getEnv()).extracting(EnvVar::getName).containsExactly("LS_JAVA_OPTS");
    }

    @Test
    void credentialsComeFromSecretEnvVarsOnly() {
      Pipeline p = withCredentials(spec -> { });
      Plugin es = conf(p).plugin("output", "elasticsearch");
      String user = String.valueOf(es.get("user"));
      String password = String.valueOf(es.get("password"));
      assertThat(user).matches("^\\$\\{[A-Z_]+}$");
      assertThat(password).matches("^\\$\\{[A-Z_]+}$");

      EnvVar userEnv = env(p, user.substring(2, user.length() - 1));
      EnvVar passwordEnv = env(p, password.substring(2, password.length() - 1));
      assertThat(userEnv.getValue()).isNull();
      assertThat(passwordEnv.getValue()).isNull();
      assertThat(userEnv.getValueFrom().getSecretKeyRef().getName()).isEqualTo("es-creds");
      assertThat(userEnv.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username");
      assertThat(passwordEnv.getValueFrom().getSecretKeyRef().getName()).isEqualTo("es-creds");
      assertThat(passwordEnv.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    }

    @Test
    void anApiKeyReplacesUserAndPassword() {
      Pipeline p = withCredentials(creds -> creds.getCredentialsSecret().setApiKeyKey("api-key"));
      Plugin es = conf(p).plugin("output", "elasticsearch");
      assertThat(es.settings()).doesNotContainKeys("user", "password");
      String apiKey = String.valueOf(es.get("api_key"));
      assertThat(apiKey).matches("^\\$\\{[A-Z_]+}$");
      EnvVar env = env(p, apiKey.substring(2, apiKey.length() - 1));
      assertThat(env.getValue()).isNull();
      assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("es-creds");
      assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
      assertThat(container(p).getEnv()).extracting(EnvVar::getName)
          .containsExactlyInAnyOrder("LS_JAVA_OPTS", env.getName());
    }

    @Test
    void customSecretKeysAreUsed() {
      Pipeline p = withCredentials(creds -> {
        creds.getCredentialsSecret().setUsernameKey("user");
        creds.getCredentialsSecret().setPasswordKey("pass");
      });
      List<String> keys = container(p).getEnv().stream()
          .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
          .map(e -> e.getValueFrom().getSecretKeyRef().getKey()).toList();
      assertThat(keys).containsExactlyInAnyOrder("user", "pass");
    }

    @Test
    void noEnvVarCarriesALiteralSecret() {
      Pipeline p = withCredentials(spec -> { });
      for (EnvVar e : container(p).getEnv()) {
        if (e.getValue() != null) {
          assertThat(e.getName()).isEqualTo("LS_JAVA_OPTS");
        }
      }
    }

    @Test
    void trustsTheCaFromTheSecretForHttpsHosts() {
      Pipeline p = withCa(Flavor.ELASTICSEARCH, false);
      String caFile = caFileInPod(p);
      Plugin es = conf(p).plugin("output", "elasticsearch");
      assertThat(es.get("ssl_certificate_authorities")).isEqualTo(List.of(caFile));
      assertThat(es.get("ssl_enabled")).isEqualTo(new Bareword("true"));
      assertThat(es.settings()).doesNotContainKey("ssl_verification_mode");
    }

    @Test
    void opensearchTrustsTheCaThroughItsOwnSetting() {
      Pipeline p = withCa(Flavor.OPENSEARCH, false);
      assertThat(conf(p).plugin("output", "opensearch").get("cacert")).isEqualTo(caFileInPod(p));
    }

    @Test
    void insecureSkipVerifyTurnsVerificationOff() {
      assertThat(conf(withCa(Flavor.ELASTICSEARCH, true)).plugin("output", "elasticsearch")
          .get("ssl_verification_mode")).isEqualTo("none");
      assertThat(conf(withCa(Flavor.OPENSEARCH, true)).plugin("output", "opensearch")
          .get("ssl_certificate_verification")).isEqualTo(new Bareword("false"));
    }

    @Test
    void noCaVolumeWithoutACaSecret() {
      PodSpec pod = pod(PAYMENTS);
      assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null);
      assertThat(conf(PAYMENTS).plugin("output", "elasticsearch").settings())
          .doesNotContainKey("ssl_certificate_authorities");
    }

    @Test
    void plainHttpHostsGetNoTlsSettings() {
      Pipeline p = Specs.resolve(spec ->
          spec.getElasticsearch().setHosts(new ArrayList<>(List.of("http://es.elastic.svc:9200"))));
      assertThat(conf(p).plugin("output", "elasticsearch").settings().keySet())
          .noneMatch(k -> k.startsWith("ssl"));
    }

    /** The CA's path inside the pod, from the Secret volume, its item and its mount. */
    private String caFileInPod(Pipeline p) {
      PodSpec pod = pod(p);
      Volume ca = pod.getVolumes().stream().filter(v -> v.getSecret() != null).findFirst()
          .orElseThrow(() -> new AssertionError("no Secret volume"));
      assertThat(ca.getSecret().getSecretName()).isEqualTo("es-ca");
      assertThat(ca.getSecret().getItems()).singleElement()
          .satisfies(item -> assertThat(item.getKey()).isEqualTo("tls.ca"));
      VolumeMount mount = container(p).getVolumeMounts().stream()
          .filter(m -> m.getName().equals(ca.getName())).findFirst().orElseThrow();
      assertThat(mount.getReadOnly()).isTrue();
      return mount.getMountPath() + "/" + ca.getSecret().getItems().get(0).getPath();
    }

    private Pipeline withCa(Flavor flavor, boolean insecure) {
      return Specs.resolve(spec -> {
        spec.getElasticsearch().setFlavor(flavor);
        TlsSpec tls = new TlsSpec();
        SecretKeySpec secret = new SecretKeySpec();
        secret.setName("es-ca");
        secret.setKey("tls.ca");
        tls.setCaSecret(secret);
        tls.setInsecureSkipVerify(insecure);
        spec.getElasticsearch().setTls(tls);
      });
    }

    private Pipeline withCredentials(Consumer<io.logpipeline.operator.api.ElasticsearchSpec> edit) {
      return Specs.resolve(spec -> {
        CredentialsSecretRef creds = new CredentialsSecretRef();
        creds.setName("es-creds");
        spec.getElasticsearch().setCredentialsSecret(creds);
        edit.accept(spec.getElasticsearch());
      });
    }

    private EnvVar env(Pipeline p, String name) {
      return container(p).getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
          .orElseThrow(() -> new AssertionError("no env " + name + " in " + container(p).getEnv()));
    }
  }

  // ---------------------------------------------------------------- settings files

  @Test
  void logstashYmlKeepsDataOnTheVolumeAndServesTheMonitoringApi() {
    JsonNode settings = Specs.yaml(IndexerModel.settings(PAYMENTS));
    assertThat(settings.get("path.data").asText()).isEqualTo("/usr/share/logstash/data");
    assertThat(pod(PAYMENTS).getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> {
          assertThat(m.getMountPath()).isEqualTo("/usr/share/logstash/data");
          assertThat(m.getName()).isEqualTo(IndexerModel.QUEUE_VOLUME);
        });
    assertThat(settings.get("api.http.port").asInt()).isEqualTo(9600);
    assertThat(settings.get("api.http.host").asText()).isEqualTo("0.0.0.0");
    // the pipeline file is read once; a change rolls the pods instead
    assertThat(settings.get("config.reload.automatic").asBoolean()).isFalse();
  }

  @Test
  void pipelinesYmlPointsAtTheMountedPipelineFile() {
    JsonNode pipelines = Specs.yaml(IndexerModel.pipelines(PAYMENTS));
    assertThat(pipelines.isArray()).isTrue();
    assertThat(pipelines).hasSize(2);
    JsonNode pipeline = pipelines.get(0);
    assertThat(pipeline.get("pipeline.id").asText()).isEqualTo("logpipeline");
    assertThat(pipeline.get("pipeline.batch.size").asInt()).isEqualTo(125);
    assertThat(pipeline.get("pipeline.workers").asInt()).as("the 500m CPU request, rounded up").isEqualTo(1);
    assertThat(pipelines.get(1).get("pipeline.id").asText()).isEqualTo("deadletter");

    // Each path.config is a file of the ConfigMap, which is mounted whole as a directory.
    VolumeMount dir = container(PAYMENTS).getVolumeMounts().stream()
        .filter(m -> m.getSubPath() == null && m.getName().equals("config")).findFirst().orElseThrow();
    for (JsonNode p : pipelines) {
      String path = p.get("path.config").asText();
      assertThat(path).startsWith(dir.getMountPath() + "/");
      assertThat(IndexerModel.configMap(PAYMENTS).getData())
          .containsKey(path.substring(dir.getMountPath().length() + 1));
    }
  }

  @Test
  void pipelinesYmlTakesWorkersAndBatchSizeFromTheSpec() {
    Pipeline p = Specs.resolve(spec -> {
      spec.getIndexer().setPipelineWorkers(4);
      spec.getIndexer().setBatchSize(500);
    });
    JsonNode pipeline = Specs.yaml(IndexerModel.pipelines(p)).get(0);
    assertThat(pipeline.get("pipeline.workers").asInt()).isEqualTo(4);
    assertThat(pipeline.get("pipeline.batch.size").asInt()).isEqualTo(500);
  }

  @Test
  void everySettingsFileIsMountedFromTheConfigMap() {
    Container c = container(PAYMENTS);
    Volume config = pod(PAYMENTS).getVolumes().stream().filter(v -> v.getConfigMap() != null)
        .findFirst().orElseThrow();
    assertThat(config.getConfigMap().getName()).isEqualTo("payments-logstash");
    Map<String, String> data = IndexerModel.configMap(PAYMENTS).getData();
    assertThat(data).containsOnlyKeys(IndexerModel.SETTINGS_KEY, IndexerModel.PIPELINES_KEY,
        IndexerModel.PIPELINE_KEY, IndexerModel.DEAD_LETTER_PIPELINE_KEY, QueueDrain.DRAIN_PIPELINE_KEY,
        QueueDrain.DRAIN_PIPELINES_KEY, QueueDrain.DRAIN_DEAD_LETTER_PIPELINES_KEY, QueueDrain.DRAIN_SCRIPT_KEY);
    List<VolumeMount> mounts = c.getVolumeMounts().stream()
        .filter(m -> m.getName().equals(config.getName())).toList();
    // The settings files where Logstash reads its settings; everything else beside them.
    assertThat(mounts).extracting(VolumeMount::getSubPath).containsExactlyInAnyOrder(
        IndexerModel.SETTINGS_KEY, IndexerModel.PIPELINES_KEY, null);
    assertThat(mounts).allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(mounts).extracting(VolumeMount::getMountPath)
        .contains("/usr/share/logstash/config/logstash.yml", "/usr/share/logstash/config/pipelines.yml");
  }

  // ---------------------------------------------------------------- Deployment and Service

  @Test
  void deploymentRunsTheRequestedReplicas() {
    assertThat(IndexerModel.statefulSet(PAYMENTS).getSpec().getReplicas()).isEqualTo(2);
    assertThat(IndexerModel.statefulSet(Specs.resolve(spec -> spec.getIndexer().setReplicas(5)))
        .getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  void probesAskTheMonitoringApi() {
    Container c = container(PAYMENTS);
    assertThat(c.getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getName()).isEqualTo("monitoring");
      assertThat(port.getContainerPort()).isEqualTo(9600);
    });
    for (Probe probe : List.of(c.getReadinessProbe(), c.getLivenessProbe(), c.getStartupProbe())) {
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("monitoring");
      assertThat(probe.getHttpGet().getPath()).isEqualTo("/");
    }
  }

  @ParameterizedTest
  @CsvSource({"2Gi, 1024", "4Gi, 2048", "3Gi, 1536", "1024Mi, 512", "256Mi, 128"})
  void heapIsHalfTheMemoryLimit(String limit, long heapMib) {
    Pipeline p = Specs.resolve(spec -> spec.getIndexer().setResources(new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("1")).addToLimits("memory", new Quantity(limit)).build()));
    assertThat(heap(p)).containsExactly("-Xms" + heapMib + "m", "-Xmx" + heapMib + "m");
  }

  @Test
  void heapDefaultsToHalfTheDefaultLimit() {
    assertThat(container(PAYMENTS).getResources()).isEqualTo(IndexerModel.defaultResources());
    assertThat(heap(PAYMENTS)).containsExactly("-Xms1024m", "-Xmx1024m");
  }

  @Test
  void heapFollowsTheRequestWithoutALimit() {
    Pipeline p = Specs.resolve(spec -> spec.getIndexer().setResources(new ResourceRequirementsBuilder()
        .addToRequests("memory", new Quantity("6Gi")).build()));
    assertThat(heap(p)).containsExactly("-Xms3072m", "-Xmx3072m");
  }

  @Test
  void serviceExposesTheMonitoringPortOfTheDeploymentsPods() {
    Service service = IndexerModel.service(PAYMENTS);
    StatefulSet deployment = IndexerModel.statefulSet(PAYMENTS);
    assertThat(service.getMetadata().getName()).isEqualTo("payments-logstash").matches(Specs.DNS_1035);
    assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
      assertThat(port.getPort()).isEqualTo(9600);
      assertThat(port.getTargetPort().getStrVal()).isEqualTo("monitoring");
    });
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void everyIndexerObjectCarriesTheRecommendedLabels() {
    for (var o : List.of(IndexerModel.configMap(PAYMENTS), IndexerModel.statefulSet(PAYMENTS),
        IndexerModel.service(PAYMENTS))) {
      assertThat(o.getMetadata().getNamespace()).isEqualTo("logging");
      assertThat(o.getMetadata().getLabels()).as(o.getKind())
          .containsEntry(Pipeline.LABEL_NAME, "logstash")
          .containsEntry(Pipeline.LABEL_INSTANCE, "payments")
          .containsEntry(Pipeline.LABEL_COMPONENT, "indexer")
          .containsEntry(Pipeline.LABEL_MANAGED_BY, "logpipeline-operator");
    }
  }

  @Test
  void runsAsAnUnprivilegedUser() {
    PodSpec pod = pod(PAYMENTS);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    var sc = container(PAYMENTS).getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
  }

  // ---------------------------------------------------------------- rollouts

  @Test
  void configHashChangesWhenTheFilterChanges() {
    Pipeline filtered = Specs.resolve(spec -> spec.getIndexer().setFilter(GROK));
    Pipeline refiltered = Specs.resolve(spec -> spec.getIndexer().setFilter("mutate { add_tag => [\"x\"] }"));
    Map<String, String> read = new java.util.HashMap<>(IndexerModel.configMap(PAYMENTS).getData());
    read.keySet().removeAll(QueueDrain.FILE_KEYS);
    assertThat(configHash(PAYMENTS)).as("of what the pods read").isEqualTo(ConfigFiles.hash(read));
    assertThat(List.of(configHash(PAYMENTS), configHash(filtered), configHash(refiltered)))
        .doesNotHaveDuplicates();
    assertThat(configHash(Specs.resolve(spec -> spec.getIndexer().setFilter(GROK))))
        .as("deterministic").isEqualTo(configHash(filtered));
  }

  @Test
  void replicasRollThePodsOnlyThroughConsumerThreads() {
    assertThat(configHash(Specs.resolve(spec -> spec.getIndexer().setReplicas(1))))
        .isNotEqualTo(configHash(PAYMENTS)).as("consumer_threads depends on replicas");
    // but scaling where consumer_threads stays the same does not roll the pods
    assertThat(configHash(Specs.resolve(spec -> {
      spec.getKafka().getTopic().setPartitions(2);
      spec.getIndexer().setReplicas(3);
    }))).isEqualTo(configHash(Specs.resolve(spec -> {
      spec.getKafka().getTopic().setPartitions(2);
      spec.getIndexer().setReplicas(4);
    })));
  }

  @Test
  void aFilterChangeLeavesTheShipperAlone() {
    Pipeline filtered = Specs.resolve(spec -> spec.getIndexer().setFilter(GROK));
    assertThat(ShipperModel.daemonSet(filtered)).isEqualTo(ShipperModel.daemonSet(PAYMENTS));
    assertThat(ShipperModel.configMap(filtered)).isEqualTo(ShipperModel.configMap(PAYMENTS));
    assertThat(BufferModel.kafkaTopic(filtered)).isEqualTo(BufferModel.kafkaTopic(PAYMENTS));
  }

  // ---------------------------------------------------------------- helpers

  private static LogstashConfig conf(Pipeline p) {
    String text = IndexerModel.pipelineConfig(p);
    assertThat(IndexerModel.configMap(p).getData().get(IndexerModel.PIPELINE_KEY)).isEqualTo(text);
    return LogstashConfig.parse(text);
  }

  private static PodSpec pod(Pipeline p) {
    return IndexerModel.statefulSet(p).getSpec().getTemplate().getSpec();
  }

  private static Container container(Pipeline p) {
    List<Container> containers = pod(p).getContainers();
    assertThat(containers).hasSize(1);
    return containers.get(0);
  }

  private static List<String> heap(Pipeline p) {
    String opts = container(p).getEnv().stream().filter(e -> e.getName().equals("LS_JAVA_OPTS"))
        .findFirst().orElseThrow().getValue();
    return List.of(opts.trim().split("\\s+")).stream()
        .filter(o -> o.startsWith("-Xms") || o.startsWith("-Xmx")).toList();
  }

  private static String configHash(Pipeline p) {
    return IndexerModel.statefulSet(p).getSpec().getTemplate().getMetadata().getAnnotations()
        .get(Pipeline.CONFIG_HASH_ANNOTATION);
  }
}
