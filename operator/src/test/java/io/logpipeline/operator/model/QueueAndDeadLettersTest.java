package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.logpipeline.operator.logstash.LogstashParser;
import io.logpipeline.operator.logstash.PipelineConfig;
import io.logpipeline.operator.logstash.Plugin;
import io.logpipeline.operator.logstash.Value.BarewordValue;
import io.logpipeline.operator.logstash.Value.StringValue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent queue, the dead letters and the drain of removed replicas' volumes, as rendered. */
class QueueAndDeadLettersTest {

  static final Pipeline PAYMENTS = Specs.resolve(Specs.minimal());

  static JsonNode pipelines(Pipeline p) {
    return Specs.yaml(IndexerModel.pipelines(p));
  }

  @Nested
  class PersistentQueue {

    @Test
    void theMainPipelineQueuesOnTheVolumeAndDrainsOnShutdown() {
      JsonNode main = pipelines(PAYMENTS).get(0);
      assertThat(main.get("queue.type").asText()).isEqualTo("persisted");
      assertThat(main.get("queue.drain").asBoolean()).isTrue();
      assertThat(main.get("queue.checkpoint.writes").asInt()).isEqualTo(1024);
      assertThat(main.get("queue.max_bytes").asText()).isEqualTo("6297mb");
      StatefulSet sts = IndexerModel.statefulSet(PAYMENTS);
      assertThat(sts.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()).isEqualTo(300L);
      assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
        assertThat(claim.getMetadata().getName()).isEqualTo("queue");
        assertThat(claim.getMetadata().getAnnotations()).containsEntry(IndexerModel.PIPELINE_ANNOTATION, "payments");
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(claim.getSpec().getStorageClassName()).as("the cluster's default").isNull();
      });
      assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    }

    @Test
    void sizeAndStorageClassComeFromTheSpec() {
      Pipeline p = Specs.resolve(spec -> {
        spec.getIndexer().getPersistentQueue().setSize("20Gi");
        spec.getIndexer().getPersistentQueue().setStorageClassName("gp3");
      });
      PersistentVolumeClaim claim = IndexerModel.statefulSet(p).getSpec().getVolumeClaimTemplates().get(0);
      assertThat(claim.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("20Gi"));
      assertThat(claim.getSpec().getStorageClassName()).isEqualTo("gp3");
      assertThat(pipelines(p).get(0).get("queue.max_bytes").asText()).isEqualTo("16896mb");
      assertThat(pipelines(p).get(0).get("dead_letter_queue.max_bytes").asText()).as("at most 1 GiB").isEqualTo("1024mb");
    }

    @Test
    void everyQueueFitsTheVolumeWithRoomForTheFileSystem() {
      for (long mib = IndexerModel.QueueSizing.MIN_VOLUME_MIB; mib <= 1L << 22; mib = mib * 3 / 2 + 1) {
        var s = IndexerModel.QueueSizing.of(mib);
        assertThat(s.queueMib() + s.deadLetterQueueMib() + s.deadLetterPipelineQueueMib())
            .as("%d MiB", mib).isLessThanOrEqualTo(mib * 9 / 10);
        assertThat(s.queueMib()).as("%d MiB: two pages at least", mib).isGreaterThanOrEqualTo(2 * IndexerModel.QueueSizing.PAGE_MIB);
        assertThat(s.deadLetterPipelineQueueMib()).isGreaterThanOrEqualTo(IndexerModel.QueueSizing.PAGE_MIB);
      }
    }

    @Test
    void aSizeBelowWhatLogstashNeedsOrThatDoesNotParseIsRefusedWithTheField() {
      assertThat(Specs.problems(spec -> spec.getIndexer().getPersistentQueue().setSize("900Mi")))
          .singleElement().satisfies(p -> {
            assertThat(p.field()).isEqualTo("spec.indexer.persistentQueue.size");
            assertThat(p.message()).contains("at least 1Gi");
          });
      assertThat(Specs.problems(spec -> spec.getIndexer().getPersistentQueue().setSize("lots")))
          .singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("spec.indexer.persistentQueue.size"));
      assertThat(Specs.resolve(spec -> spec.getIndexer().getPersistentQueue().setSize("1Gi")).warnings())
          .noneMatch(w -> w.field().startsWith("spec.indexer.persistentQueue"));
    }

    @Test
    void withoutAPersistentQueueEventsWaitInMemoryAndTheSpecIsValidWithAWarning() {
      Pipeline p = Specs.resolve(spec -> spec.getIndexer().getPersistentQueue().setEnabled(false));
      assertThat(pipelines(p).get(0).get("queue.type").asText()).isEqualTo("memory");
      StatefulSet sts = IndexerModel.statefulSet(p);
      assertThat(sts.getSpec().getVolumeClaimTemplates()).isEmpty();
      assertThat(sts.getSpec().getTemplate().getSpec().getVolumes())
          .anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
      assertThat(p.warnings()).anySatisfy(w -> {
        assertThat(w.field()).isEqualTo("spec.indexer.persistentQueue.enabled");
        assertThat(w.message()).contains("workers x batch size");
      });
      assertThat(IndexerModel.configMap(p).getData()).doesNotContainKeys(QueueDrain.FILE_KEYS.toArray(String[]::new));
    }
  }

  @Nested
  class Sizing {

    static Pipeline withCpu(Map<String, String> requests, Map<String, String> limits) {
      return Specs.resolve(spec -> {
        var r = new ResourceRequirementsBuilder();
        requests.forEach((k, v) -> r.addToRequests(k, new Quantity(v)));
        limits.forEach((k, v) -> r.addToLimits(k, new Quantity(v)));
        spec.getIndexer().setResources(r.build());
      });
    }

    @Test
    void workersFollowTheCpuRequestRoundedUpNeverTheNodesCores() {
      assertThat(IndexerModel.pipelineWorkers(PAYMENTS)).as("500m").isEqualTo(1);
      assertThat(IndexerModel.pipelineWorkers(withCpu(Map.of("cpu", "2500m"), Map.of()))).isEqualTo(3);
      assertThat(IndexerModel.pipelineWorkers(withCpu(Map.of(), Map.of("cpu", "4")))).as("limit only").isEqualTo(4);
      assertThat(IndexerModel.pipelineWorkers(withCpu(Map.of("memory", "2Gi"), Map.of()))).as("no cpu").isEqualTo(1);
      assertThat(IndexerModel.pipelineWorkers(Specs.resolve(spec -> spec.getIndexer().setPipelineWorkers(6))))
          .isEqualTo(6);
    }

    @Test
    void replicasSpreadSoftlyOverZonesAndNodesAndAtMostOneIsDisrupted() {
      var pod = IndexerModel.statefulSet(PAYMENTS).getSpec().getTemplate().getSpec();
      assertThat(pod.getTopologySpreadConstraints()).extracting(c -> c.getTopologyKey())
          .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
      assertThat(pod.getTopologySpreadConstraints()).allSatisfy(c -> {
        assertThat(c.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
        assertThat(c.getLabelSelector().getMatchLabels()).isEqualTo(PAYMENTS.selectorLabels("logstash"));
      });
      var budget = IndexerModel.disruptionBudget(PAYMENTS);
      assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
      assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(PAYMENTS.selectorLabels("logstash"));
    }

    @Test
    void eachReplicaJoinsTheGroupAsAStaticMemberNamedAfterItsPod() throws Exception {
      Plugin kafka = LogstashParser.parsePipeline(IndexerModel.pipelineConfig(PAYMENTS))
          .sections("input").get(0).plugins().get(0);
      assertThat(kafka.setting("group_instance_id")).contains(new StringValue("${HOSTNAME}"));
      assertThat(kafka.setting("session_timeout_ms")).isPresent();
    }
  }

  @Nested
  class DeadLetters {

    @Test
    void aSecondPipelineReadsTheMainPipelinesDeadLettersIntoTheDeadLetterIndex() throws Exception {
      JsonNode all = pipelines(PAYMENTS);
      assertThat(all.get(0).get("dead_letter_queue.enable").asBoolean()).isTrue();
      assertThat(all.get(0).get("dead_letter_queue.retain.age").asText()).as("the topic's 7d").isEqualTo("7d");
      assertThat(all.get(1).get("pipeline.id").asText()).isEqualTo("deadletter");
      assertThat(all.get(1).get("queue.type").asText()).isEqualTo("persisted");
      assertThat(all.get(1).get("dead_letter_queue.enable").asBoolean()).as("never reads its own").isFalse();

      PipelineConfig conf = LogstashParser.parsePipeline(IndexerModel.deadLetterPipelineConfig(PAYMENTS));
      Plugin input = conf.sections("input").get(0).plugins().get(0);
      assertThat(input.name()).isEqualTo("dead_letter_queue");
      assertThat(input.setting("pipeline_id")).contains(new StringValue("logpipeline"));
      assertThat(input.setting("commit_offsets")).contains(new BarewordValue("true"));
      assertThat(input.setting("clean_consumed")).contains(new BarewordValue("true"));
      Plugin output = conf.sections("output").get(0).plugins().get(0);
      assertThat(output.setting("index")).contains(new StringValue("logs-logging.payments_deadletter_%{+YYYY.MM.dd}"));
      assertThat(output.setting("document_id")).contains(new StringValue("%{[@metadata][doc_id]}"));
      // The same output as the main pipeline's but for the id and the index.
      Plugin main = LogstashParser.parsePipeline(IndexerModel.pipelineConfig(PAYMENTS)).sections("output").get(0)
          .plugins().get(0);
      assertThat(output.name()).isEqualTo(main.name());
    }

    @Test
    void theRubyFilterSetsExactlyTheFieldsTheDeadLetterTemplateMaps() throws Exception {
      String code = IndexerModel.deadLetterPipelineConfig(PAYMENTS);
      Set<String> set = new LinkedHashSet<>();
      Matcher m = Pattern.compile("event\\.set\\(\"([^\"]+)\"").matcher(code);
      while (m.find()) {
        set.add(m.group(1));
      }
      Set<String> documented = new LinkedHashSet<>();
      collect("", IndexerModel.DeadLetterFields.document(PAYMENTS, "{}", "r", "2026-01-01T00:00:00Z"), documented);
      assertThat(set).containsExactlyInAnyOrderElementsOf(documented.stream()
          .map(f -> f.equals("@timestamp") ? f : IndexerModel.fieldReference(f)).toList());
      JsonNode mapped = IndexTemplateModel.deadLetterBody(PAYMENTS).at("/template/mappings");
      assertThat(mapped.get("dynamic").asText()).isEqualTo("false");
      for (String field : documented) {
        String pointer = "/properties/" + field.replace(".", "/properties/");
        assertThat(mapped.at(pointer).isMissingNode()).as("%s is mapped", field).isFalse();
      }
      assertThat(mapped.at("/properties/event/properties/original/index").asBoolean()).isFalse();
    }

    private void collect(String prefix, JsonNode node, Set<String> fields) {
      node.fields().forEachRemaining(e -> {
        String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
        if (e.getValue().isObject()) {
          collect(name, e.getValue(), fields);
        } else {
          fields.add(name);
        }
      });
    }

    @Test
    void theDefaultDeadLetterIndexIsNoPipelinesDefaultIndex() {
      Pipeline app = Specs.resolve(Specs.pipeline("app", "team", spec -> { }));
      Pipeline appDeadletter = Specs.resolve(Specs.pipeline("app-deadletter", "team", spec -> { }));
      assertThat(app.deadLetterIndex()).isEqualTo("logs-team.app_deadletter");
      assertThat(appDeadletter.index()).isNotEqualTo(app.deadLetterIndex());
      assertThat(app.deadLetterIndex() + "_2026.12.01").doesNotStartWith(appDeadletter.index() + "_2");
      assertThat(app.deadLetterIndex() + "_2026.12.01").doesNotStartWith(app.index() + "_2");
      Pipeline longest = Specs.resolve(spec -> spec.getElasticsearch().setIndex("a".repeat(230)));
      assertThat(longest.deadLetterIndex()).hasSizeLessThanOrEqualTo(230).endsWith("_deadletter");
    }

    @Test
    void aDeadLetterIndexThatCollidesWithTheIndexPatternIsRefusedWithTheField() {
      for (String bad : List.of("logs-logging.payments", "logs-logging.payments_2025", "logs")) {
        var problems = Specs.problems(spec -> {
          spec.getElasticsearch().setIndex(bad.equals("logs") ? "logs_2x" : "logs-logging.payments");
          spec.getIndexer().getDeadLetters().setIndex(bad);
        });
        assertThat(problems).as(bad).singleElement().satisfies(p -> {
          assertThat(p.field()).isEqualTo("spec.indexer.deadLetters.index");
          assertThat(p.message()).contains("collides with the index");
        });
      }
      assertThat(Specs.resolve(spec -> spec.getIndexer().getDeadLetters().setIndex("rejected-logs")).deadLetterIndex())
          .isEqualTo("rejected-logs");
    }

    @Test
    void withoutDeadLettersRejectedDocumentsAreDroppedAndTheSpecSaysSo() {
      Pipeline p = Specs.resolve(spec -> spec.getIndexer().getDeadLetters().setEnabled(false));
      assertThat(pipelines(p)).hasSize(1);
      assertThat(pipelines(p).get(0).get("dead_letter_queue.enable").asBoolean()).isFalse();
      assertThat(IndexerModel.configMap(p).getData()).doesNotContainKey(IndexerModel.DEAD_LETTER_PIPELINE_KEY);
      assertThat(Render.of(p).deadLetterTemplate()).isNull();
      assertThat(p.warnings()).anySatisfy(w -> assertThat(w.field()).isEqualTo("spec.indexer.deadLetters.enabled"));
    }
  }

  @Nested
  class Drain {

    final ConfigMap config = IndexerModel.configMap(PAYMENTS);

    StatefulSet statefulSet(int specReplicas, int statusReplicas, long observed) {
      return new StatefulSetBuilder().withNewMetadata().withName("payments-logstash").withGeneration(3L).endMetadata()
          .withNewSpec().withReplicas(specReplicas).endSpec()
          .withNewStatus().withReplicas(statusReplicas).withObservedGeneration(observed).endStatus().build();
    }

    PersistentVolumeClaim claim(int ordinal) {
      return new PersistentVolumeClaimBuilder().withNewMetadata()
          .withName(IndexerModel.claimName(PAYMENTS, ordinal)).endMetadata().build();
    }

    Job job(int ordinal, String condition) {
      Job job = QueueDrain.job(PAYMENTS, config, IndexerModel.claimName(PAYMENTS, ordinal), ordinal);
      return condition == null ? job : new JobBuilder(job).withNewStatus().addNewCondition().withType(condition)
          .withStatus("True").endCondition().endStatus().build();
    }

    @Test
    void aVolumeIsDrainedOnlyOnceItsReplicaIsGone() {
      var claims = List.of(claim(0), claim(1), claim(2));
      var terminating = QueueDrain.plan(PAYMENTS, config, statefulSet(1, 3, 3), claims, List.of(), 1);
      assertThat(terminating.createJobs()).as("pods 1 and 2 still stopping").isEmpty();
      assertThat(terminating.draining()).containsExactly(IndexerModel.claimName(PAYMENTS, 1),
          IndexerModel.claimName(PAYMENTS, 2));
      var unobserved = QueueDrain.plan(PAYMENTS, config, statefulSet(1, 1, 2), claims, List.of(), 1);
      assertThat(unobserved.createJobs()).as("the controller has not seen the new spec").isEmpty();

      var gone = QueueDrain.plan(PAYMENTS, config, statefulSet(1, 1, 3), claims, List.of(), 1);
      assertThat(gone.createJobs()).extracting(j -> j.getMetadata().getName())
          .containsExactly("payments-logstash-drain-1", "payments-logstash-drain-2");
      assertThat(gone.deleteClaims()).isEmpty();
    }

    @Test
    void aVolumeIsDeletedAfterItsJobSucceededAndTheJobAfterTheVolume() {
      var sts = statefulSet(1, 1, 3);
      var succeeded = QueueDrain.plan(PAYMENTS, config, sts, List.of(claim(0), claim(1)), List.of(job(1, "Complete")), 1);
      assertThat(succeeded.deleteClaims()).extracting(c -> c.getMetadata().getName())
          .containsExactly("queue-payments-logstash-1");
      assertThat(succeeded.deleteJobs()).as("not before its volume is gone").isEmpty();
      var claimGone = QueueDrain.plan(PAYMENTS, config, sts, List.of(claim(0)), List.of(job(1, "Complete")), 1);
      assertThat(claimGone.deleteJobs()).hasSize(1);
      assertThat(claimGone.deleteClaims()).isEmpty();
      var running = QueueDrain.plan(PAYMENTS, config, sts, List.of(claim(0), claim(1)), List.of(job(1, null)), 1);
      assertThat(running.deleteClaims()).isEmpty();
      assertThat(running.createJobs()).isEmpty();
      assertThat(running.draining()).containsExactly("queue-payments-logstash-1");
      assertThat(QueueDrain.plan(PAYMENTS, config, sts, List.of(claim(0)), List.of(), 1).done()).isTrue();
    }

    @Test
    void aFailedJobKeepsItsVolumeAndAReplicaBackTakesItsVolumeOver() {
      var failed = QueueDrain.plan(PAYMENTS, config, statefulSet(1, 1, 3), List.of(claim(0), claim(1)),
          List.of(job(1, "Failed")), 1);
      assertThat(failed.failed()).containsEntry("queue-payments-logstash-1", "payments-logstash-drain-1");
      assertThat(failed.deleteClaims()).isEmpty();
      assertThat(failed.createJobs()).isEmpty();
      var back = QueueDrain.plan(PAYMENTS, config, statefulSet(2, 2, 3), List.of(claim(0), claim(1)),
          List.of(job(1, null)), 2);
      assertThat(back.deleteJobs()).as("the replica uses its volume again").hasSize(1);
      assertThat(back.deleteClaims()).isEmpty();
    }

    @Test
    void onDeletionEveryVolumeIsDrainedOnceNoReplicaIsLeft() {
      var claims = List.of(claim(0), claim(1));
      assertThat(QueueDrain.plan(PAYMENTS, config, statefulSet(2, 2, 3), claims, List.of(), 0).createJobs()).isEmpty();
      assertThat(QueueDrain.plan(PAYMENTS, config, statefulSet(0, 0, 3), claims, List.of(), 0).createJobs()).hasSize(2);
      assertThat(QueueDrain.plan(PAYMENTS, config, null, claims, List.of(), 0).createJobs()).hasSize(2);
    }

    @Test
    void theJobRunsTheReplicasImageAndConfigurationOnTheVolume() {
      Job job = job(2, null);
      var pod = job.getSpec().getTemplate().getSpec();
      var replica = IndexerModel.statefulSet(PAYMENTS).getSpec().getTemplate().getSpec();
      assertThat(pod.getContainers().get(0).getImage()).isEqualTo(replica.getContainers().get(0).getImage());
      assertThat(pod.getContainers().get(0).getEnv()).isEqualTo(replica.getContainers().get(0).getEnv());
      assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
          .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("queue-payments-logstash-2"));
      assertThat(job.getMetadata().getAnnotations()).containsEntry(QueueDrain.CLAIM_ANNOTATION, "queue-payments-logstash-2");
      assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
          .as("not selected by the StatefulSet, Service or PodDisruptionBudget")
          .containsEntry(Pipeline.LABEL_NAME, QueueDrain.PRODUCT);
    }
  }

  /** drain.sh run by bash against a stand-in for Logstash and its monitoring API. */
  @Nested
  class DrainScript {

    @TempDir
    Path dir;

    /** bin/logstash: logs each run; the dead-letter run waits for SIGTERM, then exits 0. */
    Path fakeLogstash(int firstRunExit) throws Exception {
      Path bin = Files.createDirectories(dir.resolve("home/bin"));
      Files.createDirectories(dir.resolve("home/config"));
      Files.writeString(dir.resolve("home/config/jvm.options"), "");
      Files.writeString(dir.resolve("home/config/log4j2.properties"), "");
      Path log = dir.resolve("runs.log");
      Path logstash = bin.resolve("logstash");
      Files.writeString(logstash, "#!/bin/bash\n"
          + "pipelines=$(grep -o 'pipeline.id: \"[a-z]*\"' \"$2/pipelines.yml\")\n"
          + "echo \"start $pipelines\" >> " + log + "\n"
          + "if [[ $pipelines == *logpipeline* ]]; then exit " + firstRunExit + "; fi\n"
          + "trap 'echo \"term\" >> " + log + "; exit 0' TERM\n"
          + "while true; do sleep 0.05; done\n");
      Files.setPosixFilePermissions(logstash, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path config = Files.createDirectories(dir.resolve("config"));
      for (var e : IndexerModel.configMap(PAYMENTS).getData().entrySet()) {
        Files.writeString(config.resolve(e.getKey()), e.getValue());
      }
      return log;
    }

    /** Serves the dead-letter pipeline's stats: reads growing for {@code reading} polls, then steady. */
    HttpServer api(int reading, boolean queueEmpties, AtomicInteger polls) throws Exception {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/_node/stats/pipelines/deadletter", exchange -> {
        int n = polls.incrementAndGet();
        int in = Math.min(n, reading) * 10;
        int queued = queueEmpties && n > reading ? 0 : 3;
        byte[] body = ("{\"pipelines\" : {\"deadletter\" : {\"events\" : {\"filtered\" : " + in + ", \"out\" : "
            + in + ", \"in\" : " + in + "}, \"plugins\": {\"filters\": [{\"events\": {\"in\": 999}}]},"
            + " \"queue\" : {\"type\" : \"persisted\", \"events_count\" : " + queued + "}}}}")
            .getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.start();
      return server;
    }

    Process run(HttpServer api) throws Exception {
      ProcessBuilder pb = new ProcessBuilder("bash", dir.resolve("config/drain.sh").toString());
      pb.environment().put("LOGSTASH_HOME", dir.resolve("home").toString());
      pb.environment().put("LOGPIPELINE_CONFIG", dir.resolve("config").toString());
      pb.environment().put("LOGSTASH_API", "http://127.0.0.1:" + api.getAddress().getPort());
      pb.environment().put("DRAIN_POLL_SECONDS", "0.1");
      pb.redirectErrorStream(true);
      return pb.start();
    }

    @Test
    void theQueueIsDrainedFirstThenTheDeadLettersUntilNothingIsLeftToRead() throws Exception {
      Path log = fakeLogstash(0);
      AtomicInteger polls = new AtomicInteger();
      HttpServer api = api(5, true, polls);
      try {
        Process p = run(api);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("drain.sh ends").isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
      } finally {
        api.stop(0);
      }
      assertThat(Files.readAllLines(log)).containsExactly(
          "start pipeline.id: \"logpipeline\"", "start pipeline.id: \"deadletter\"", "term");
      // Stopped only after the reads stopped growing and three quiet checks followed.
      assertThat(polls.get()).isGreaterThanOrEqualTo(5 + 3);
    }

    @Test
    void aFailedQueueDrainFailsTheJobAndLeavesTheDeadLettersAlone() throws Exception {
      Path log = fakeLogstash(1);
      HttpServer api = api(0, true, new AtomicInteger());
      try {
        Process p = run(api);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
      } finally {
        api.stop(0);
      }
      assertThat(Files.readAllLines(log)).containsExactly("start pipeline.id: \"logpipeline\"");
    }

    @Test
    void deadLettersStillQueuedAreNeverCutOff() throws Exception {
      Path log = fakeLogstash(0);
      AtomicInteger polls = new AtomicInteger();
      HttpServer api = api(1, false, polls);
      Process p = run(api);
      try {
        while (polls.get() < 15) {
          Thread.sleep(50);
        }
        assertThat(p.isAlive()).as("the output cannot keep up: the drain waits").isTrue();
        assertThat(Files.readAllLines(log)).doesNotContain("term");
      } finally {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        api.stop(0);
      }
    }
  }
}
