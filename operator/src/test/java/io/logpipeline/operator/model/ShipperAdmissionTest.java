package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.api.ShipperClass;
import io.logpipeline.operator.api.ShipperClassStatus;
import io.logpipeline.operator.api.SourcesSpec;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Admission to a class's shared Filebeats: sticky, bounded, topic first, remove-wait-add. */
class ShipperAdmissionTest {

  static final Duration WAIT = Duration.ofSeconds(130);
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Pipeline pipeline(String ns, boolean json) {
    return Specs.resolve(Specs.pipeline("app", ns, spec -> {
      SourcesSpec sources = new SourcesSpec();
      sources.setJson(json);
      spec.setSources(sources);
      spec.getKafka().setNamespace("kafka");
    }));
  }

  static ShipperAdmission.Candidate candidate(Pipeline p, boolean topicReady, String order) {
    return new ShipperAdmission.Candidate(p.namespace() + "/" + p.name(), p, false, topicReady, order, false);
  }

  /** Applies a plan as the reconciler would: the record to the class, the inputs to the ConfigMaps. */
  static ShipperAdmission.Plan step(ShipperClass cls, Map<String, Map<String, String>> inputs,
      List<ShipperAdmission.Candidate> candidates, Instant now) {
    ShipperAdmission.Plan plan = ShipperAdmission.plan(cls, candidates, inputs, now, WAIT);
    cls.setStatus(plan.status());
    inputs.clear();
    inputs.putAll(plan.inputs());
    return plan;
  }

  static String state(ShipperClass cls, String key) {
    return ShipperAdmission.find(cls.getStatus(), key).map(e -> e.getValue().state()).orElse(null);
  }

  @Test
  void anInputIsAddedOnlyOnceItsTopicIsReady() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("default");
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Pipeline a = pipeline("team-a", false);
    step(cls, inputs, List.of(candidate(a, false, "1")), T0);
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.WAITING_FOR_TOPIC);
    assertThat(inputs.values()).allSatisfy(data -> assertThat(data).isEmpty());
    step(cls, inputs, List.of(candidate(a, true, "1")), T0);
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.CONFIGURED);
    assertThat(inputs.values()).singleElement().satisfies(data -> assertThat(data).containsOnlyKeys("team-a.app.yml"));
  }

  @Test
  void admissionIsStickyAndBounded() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("default");
    cls.getSpec().setMaxPipelines(1);
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Pipeline first = pipeline("team-b", false);
    Pipeline older = pipeline("team-a", false);
    step(cls, inputs, List.of(candidate(first, true, "2")), T0);
    // A pipeline created earlier but seen later never evicts the admitted one.
    step(cls, inputs, List.of(candidate(older, true, "1"), candidate(first, true, "2")), T0);
    assertThat(state(cls, "team-b/app")).isEqualTo(ShipperAdmission.CONFIGURED);
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.MAX_PIPELINES_EXCEEDED);

    ShipperClass small = SharedShipperModelTest.shipperClass("small");
    small.getSpec().setMaxConfigBytes(100);
    Map<String, Map<String, String>> none = new HashMap<>();
    step(small, none, List.of(candidate(first, true, "1")), T0);
    assertThat(state(small, "team-b/app")).isEqualTo(ShipperAdmission.CONFIG_TOO_LARGE);
  }

  @Test
  void anEditIsRemoveWaitAddAndTheRecordAloneCarriesItAcrossARestart() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("default");
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Pipeline v1 = pipeline("team-a", false);
    step(cls, inputs, List.of(candidate(v1, true, "1")), T0);
    String before = inputs.values().iterator().next().get("team-a.app.yml");

    Pipeline v2 = pipeline("team-a", true);
    ShipperAdmission.Plan removed = step(cls, inputs, List.of(candidate(v2, true, "1")), T0.plusSeconds(10));
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.RECONFIGURING);
    assertThat(inputs.values()).singleElement().satisfies(data -> assertThat(data).isEmpty());
    assertThat(removed.recheck()).contains(WAIT);

    // A new operator: only the class's record and the ConfigMaps, as they are.
    ShipperClass restarted = SharedShipperModelTest.shipperClass("default");
    restarted.setStatus(cls.getStatus());
    step(restarted, inputs, List.of(candidate(v2, true, "1")), T0.plusSeconds(60));
    assertThat(state(restarted, "team-a/app")).as("still waiting").isEqualTo(ShipperAdmission.RECONFIGURING);
    step(restarted, inputs, List.of(candidate(v2, true, "1")), T0.plusSeconds(10).plus(WAIT));
    assertThat(state(restarted, "team-a/app")).isEqualTo(ShipperAdmission.CONFIGURED);
    assertThat(inputs.values().iterator().next().get("team-a.app.yml")).isNotEqualTo(before)
        .contains("decode_json_fields");
  }

  @Test
  void aDeletedPipelineLeavesTheRecordOnlyAfterItsInputIsOutAndTheWaitIsOver() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("default");
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Pipeline a = pipeline("team-a", false);
    step(cls, inputs, List.of(candidate(a, true, "1")), T0);
    var deleting = new ShipperAdmission.Candidate("team-a/app", a, true, true, "1", false);
    step(cls, inputs, List.of(deleting), T0.plusSeconds(5));
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.REMOVING);
    assertThat(inputs.values()).allSatisfy(data -> assertThat(data).isEmpty());
    step(cls, inputs, List.of(deleting), T0.plusSeconds(6));
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.REMOVING);
    ShipperAdmission.Plan done = step(cls, inputs, List.of(deleting), T0.plusSeconds(5).plus(WAIT));
    assertThat(state(cls, "team-a/app")).isNull();
    assertThat(done.inputs()).as("the group stops with its last pipeline").isEmpty();
  }

  @Test
  void anInvalidPipelineKeepsItsLastGoodInputAndADeniedOneLosesIt() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("default");
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Pipeline a = pipeline("team-a", false);
    step(cls, inputs, List.of(candidate(a, true, "1")), T0);
    step(cls, inputs, List.of(new ShipperAdmission.Candidate("team-a/app", null, false, true, "1", false)), T0);
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.CONFIGURED);
    assertThat(inputs.values()).singleElement().satisfies(data -> assertThat(data).containsKey("team-a.app.yml"));
    step(cls, inputs, List.of(new ShipperAdmission.Candidate("team-a/app", a, false, true, "1", true)), T0);
    assertThat(inputs.values()).allSatisfy(data -> assertThat(data).isEmpty());
  }

  @Test
  void aDedicatedClassGivesEachPipelineAGroupOfItsOwn() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("dedicated");
    cls.getSpec().setMode(io.logpipeline.operator.api.ShipperMode.DEDICATED);
    cls.getSpec().setMaxPipelines(1);
    Map<String, Map<String, String>> inputs = new HashMap<>();
    step(cls, inputs, List.of(candidate(pipeline("team-a", false), true, "1"),
        candidate(pipeline("team-b", false), true, "2")), T0);
    assertThat(cls.getStatus().getGroups()).hasSize(2)
        .allSatisfy(g -> assertThat(g.pipelines()).singleElement()
            .extracting(ShipperClassStatus.Member::state).isEqualTo(ShipperAdmission.CONFIGURED));
  }

  /** The group's KafkaUser as a test sets it: the topics its spec names, whether Strimzi applied it. */
  static final class Users implements ShipperAdmission.KafkaUsers {
    final Map<String, java.util.Set<String>> listed = new HashMap<>();
    final java.util.Set<String> applied = new java.util.HashSet<>();

    /** What the reconciler does: the plan's ACLs to the user's spec; Strimzi has not applied it yet. */
    void write(ShipperAdmission.Plan plan) {
      listed.keySet().retainAll(plan.acls().keySet());
      plan.acls().forEach((g, topics) -> {
        if (!topics.equals(listed.get(g))) {
          listed.put(g, topics);
          applied.remove(g);
        }
      });
    }

    @Override
    public java.util.Set<String> listed(String group) {
      return listed.get(group);
    }

    @Override
    public boolean applied(String group) {
      return applied.contains(group);
    }
  }

  static Pipeline scram(String ns) {
    return Specs.resolve(Specs.pipeline("app", ns, spec -> {
      spec.getKafka().setNamespace("kafka");
      io.logpipeline.operator.api.KafkaAuthenticationSpec auth = new io.logpipeline.operator.api.KafkaAuthenticationSpec();
      auth.setType(io.logpipeline.operator.api.KafkaAuthenticationType.SCRAM_SHA_512);
      spec.getKafka().setAuthentication(auth);
    }));
  }

  static ShipperAdmission.Plan step(ShipperClass cls, Map<String, Map<String, String>> inputs, Users users,
      List<ShipperAdmission.Candidate> candidates, Instant now) {
    ShipperAdmission.Plan plan = ShipperAdmission.plan(cls, candidates, inputs, users, now, WAIT);
    cls.setStatus(plan.status());
    inputs.clear();
    inputs.putAll(plan.inputs());
    users.write(plan);
    return plan;
  }

  @Test
  void withAGroupKafkaUserAnInputWaitsUntilStrimziHasAppliedTheAclOfItsTopic() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("default");
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Users users = new Users();
    Pipeline a = scram("team-a");
    Pipeline b = scram("team-b");
    String group = ShipperAdmission.groupName(cls, a);

    ShipperAdmission.Plan plan = step(cls, inputs, users, List.of(candidate(a, true, "1")), T0);
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.WAITING_FOR_KAFKA_USER);
    assertThat(plan.acls()).containsOnlyKeys(group);
    assertThat(plan.acls().get(group)).containsExactly("logs.team-a.app");
    assertThat(inputs.get(group)).isEmpty();
    // Named in the spec, but Strimzi has not applied it yet.
    step(cls, inputs, users, List.of(candidate(a, true, "1")), T0);
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.WAITING_FOR_KAFKA_USER);
    users.applied.add(group);
    step(cls, inputs, users, List.of(candidate(a, true, "1")), T0);
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.CONFIGURED);
    assertThat(inputs.get(group)).containsOnlyKeys("team-a.app.yml");

    // A second pipeline: its ACL first (a new spec, not applied yet), its input after.
    plan = step(cls, inputs, users, List.of(candidate(a, true, "1"), candidate(b, true, "2")), T0);
    assertThat(plan.acls().get(group)).containsExactly("logs.team-a.app", "logs.team-b.app");
    assertThat(state(cls, "team-b/app")).isEqualTo(ShipperAdmission.WAITING_FOR_KAFKA_USER);
    assertThat(inputs.get(group)).containsOnlyKeys("team-a.app.yml");
    users.applied.add(group);
    step(cls, inputs, users, List.of(candidate(a, true, "1"), candidate(b, true, "2")), T0);
    assertThat(inputs.get(group)).containsOnlyKeys("team-a.app.yml", "team-b.app.yml");
  }

  @Test
  void onDeletionTheInputGoesFirstThenTheAclThenThePipelineLeavesTheRecord() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("default");
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Users users = new Users();
    Pipeline a = scram("team-a");
    Pipeline b = scram("team-b");
    String group = ShipperAdmission.groupName(cls, a);
    List<ShipperAdmission.Candidate> both = List.of(candidate(a, true, "1"), candidate(b, true, "2"));
    step(cls, inputs, users, both, T0);
    users.applied.add(group);
    step(cls, inputs, users, both, T0);
    assertThat(inputs.get(group)).hasSize(2);

    List<ShipperAdmission.Candidate> deleting = List.of(candidate(a, true, "1"),
        new ShipperAdmission.Candidate("team-b/app", b, true, true, "2", false));
    ShipperAdmission.Plan plan = step(cls, inputs, users, deleting, T0);
    assertThat(inputs.get(group)).as("the input first").containsOnlyKeys("team-a.app.yml");
    assertThat(plan.acls().get(group)).as("Filebeat may still write for it").contains("logs.team-b.app");
    assertThat(state(cls, "team-b/app")).isEqualTo(ShipperAdmission.REMOVING);

    plan = step(cls, inputs, users, deleting, T0.plus(WAIT));
    assertThat(plan.acls().get(group)).as("then the ACL").containsExactly("logs.team-a.app");
    assertThat(state(cls, "team-b/app")).as("the topic still waits").isEqualTo(ShipperAdmission.REMOVING);

    step(cls, inputs, users, deleting, T0.plus(WAIT));
    assertThat(state(cls, "team-b/app")).as("then the topic may go").isNull();

    // The last one: the group, and with it its user, stops once the ACL is gone.
    List<ShipperAdmission.Candidate> last = List.of(new ShipperAdmission.Candidate("team-a/app", a, true, true, "1", false));
    step(cls, inputs, users, last, T0.plus(WAIT));
    plan = step(cls, inputs, users, last, T0.plus(WAIT).plus(WAIT));
    assertThat(plan.acls().get(group)).isEmpty();
    assertThat(state(cls, "team-a/app")).isEqualTo(ShipperAdmission.REMOVING);
    plan = step(cls, inputs, users, last, T0.plus(WAIT).plus(WAIT));
    assertThat(state(cls, "team-a/app")).isNull();
    assertThat(plan.acls()).isEmpty();
    assertThat(plan.inputs()).isEmpty();
  }

  @Test
  void anInvalidOrReconfiguredPipelineKeepsTheAclsTheUserHas() {
    ShipperClass cls = SharedShipperModelTest.shipperClass("default");
    Map<String, Map<String, String>> inputs = new HashMap<>();
    Users users = new Users();
    Pipeline a = scram("team-a");
    Pipeline b = scram("team-b");
    String group = ShipperAdmission.groupName(cls, a);
    List<ShipperAdmission.Candidate> both = List.of(candidate(a, true, "1"), candidate(b, true, "2"));
    step(cls, inputs, users, both, T0);
    users.applied.add(group);
    step(cls, inputs, users, both, T0);
    // b invalid now: its last good input stays, and so does the write access it uses.
    ShipperAdmission.Plan plan = step(cls, inputs, users, List.of(candidate(a, true, "1"),
        new ShipperAdmission.Candidate("team-b/app", null, false, true, "2", false)), T0);
    assertThat(plan.acls().get(group)).containsExactly("logs.team-a.app", "logs.team-b.app");
    assertThat(inputs.get(group)).containsOnlyKeys("team-a.app.yml", "team-b.app.yml");
  }
}
