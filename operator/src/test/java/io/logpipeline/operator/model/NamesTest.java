package io.logpipeline.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.api.LogPipeline;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

  private static final String LONGEST = "a".repeat(253);

  @Test
  void shortNamesAreKeptReadable() {
    assertThat(Names.child("payments", "filebeat", Names.WORKLOAD_NAME_MAX)).isEqualTo("payments-filebeat");
    assertThat(Names.labelValue("payments")).isEqualTo("payments");
    Pipeline p = Specs.resolve(Specs.minimal());
    assertThat(p.shipperName()).isEqualTo("payments-filebeat");
    assertThat(p.indexerName()).isEqualTo("payments-logstash");
    assertThat(p.shipperClusterRoleName()).contains("logging").contains("payments").endsWith("filebeat");
  }

  /** RBAC object names are path segment names: anything but '/' and '%' ("system:..." style). */
  private static final String RBAC_NAME = "^[^/%]+$";

  @Test
  void theLongestLegalNameGivesLegalChildNames() {
    Pipeline p = longNamed(LONGEST);
    for (String name : List.of(p.shipperName(), p.indexerName())) {
      assertThat(name).hasSizeLessThanOrEqualTo(Names.WORKLOAD_NAME_MAX).matches(Specs.DNS_1035);
    }
    assertThat(p.shipperName()).endsWith("-filebeat").startsWith("aaaa");
    assertThat(p.indexerName()).endsWith("-logstash").startsWith("aaaa");
    assertThat(p.shipperClusterRoleName()).hasSizeLessThanOrEqualTo(253).matches(RBAC_NAME);
    assertThat(p.instance()).hasSizeLessThanOrEqualTo(63).matches(Specs.LABEL_VALUE);
  }

  @Test
  void everyRenderedObjectOfALongNamedPipelineHasLegalNamesAndLabels() {
    Render render = Render.of(longNamed(LONGEST));
    for (var o : render.objects()) {
      String name = o.getMetadata().getName();
      assertThat(name).as(o.getKind()).hasSizeLessThanOrEqualTo(253)
          .matches(o.getKind().startsWith("ClusterRole") ? RBAC_NAME : Specs.DNS_1123_SUBDOMAIN);
      if (!o.getKind().equals("ClusterRole") && !o.getKind().equals("ClusterRoleBinding")
          && !o.getKind().equals("KafkaTopic")) {
        assertThat(name).as(o.getKind()).hasSizeLessThanOrEqualTo(Names.WORKLOAD_NAME_MAX)
            .matches(Specs.DNS_1035);
      }
      o.getMetadata().getLabels().forEach((k, v) ->
          assertThat(v).as("%s label %s", o.getKind(), k).hasSizeLessThanOrEqualTo(63).matches(Specs.LABEL_VALUE));
    }
  }

  /** Finding F5: "a.a" is cleaned to "a-a-a8f24725"; a pipeline given that name is not "a.a". */
  @Test
  void aNameShapedLikeAnotherNamesHashedFormGetsItsOwnNames() {
    assertThat(Names.hash("a.a", 8)).isEqualTo("a8f24725");
    Pipeline dotted = Specs.resolve(Specs.pipeline("a.a", "logging", spec -> { }));
    Pipeline lookalike = Specs.resolve(Specs.pipeline("a-a-a8f24725", "logging", spec -> { }));
    assertThat(dotted.shipperName()).isEqualTo("a-a-a8f24725-filebeat");
    assertThat(lookalike.shipperName()).isEqualTo("a-a-a8f24725-" + Names.hash("a-a-a8f24725", 8) + "-filebeat");
    assertThat(lookalike.indexerName()).isNotEqualTo(dotted.indexerName());
    String longName = "x".repeat(64);
    Pipeline longOne = Specs.resolve(Specs.pipeline(longName, "logging", spec -> { }));
    Pipeline itsLabel = Specs.resolve(Specs.pipeline(longOne.instance(), "logging", spec -> { }));
    assertThat(itsLabel.instance()).isNotEqualTo(longOne.instance()).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void onlyNamesEndingInAHashAreHashedToo() {
    assertThat(Names.looksHashed("web-20240101")).isTrue();
    assertThat(Names.looksHashed("web-deadbeef")).isTrue();
    assertThat(Names.looksHashed("web-2024010")).isFalse();
    assertThat(Names.looksHashed("web-deadbeefa")).isFalse();
    assertThat(Names.looksHashed("web-DEADBEEF")).isFalse();
    assertThat(Names.looksHashed("payments")).isFalse();
    Pipeline p = Specs.resolve(Specs.pipeline("web-20240101", "logging", spec -> { }));
    assertThat(p.shipperName()).startsWith("web-20240101-").endsWith("-filebeat");
    assertThat(p.instance()).startsWith("web-20240101-").hasSize("web-20240101".length() + 9);
    assertThat(p.topicName()).startsWith("logs.logging.web-20240101-");
  }

  @Test
  void twoLongNamesSharingAPrefixStayDistinct() {
    String prefix = "team-payments-".repeat(15);
    String a = prefix + "api";
    String b = prefix + "web";
    Pipeline pa = longNamed(a);
    Pipeline pb = longNamed(b);
    assertThat(pa.shipperName()).isNotEqualTo(pb.shipperName());
    assertThat(pa.indexerName()).isNotEqualTo(pb.indexerName());
    assertThat(pa.shipperClusterRoleName()).isNotEqualTo(pb.shipperClusterRoleName());
    assertThat(pa.instance()).isNotEqualTo(pb.instance());
    assertThat(Names.labelValue(a)).isNotEqualTo(Names.labelValue(b));
  }

  @Test
  void everyLengthFromShortToLongestIsLegal() {
    Set<String> children = new HashSet<>();
    Set<String> labels = new HashSet<>();
    for (int length = 1; length <= 253; length++) {
      // dashes and dots at every position, so a cut can land next to one
      String name = alternating(length);
      String child = Names.child(name, "logstash", Names.WORKLOAD_NAME_MAX);
      assertThat(child).as("length %d", length).hasSizeLessThanOrEqualTo(Names.WORKLOAD_NAME_MAX)
          .matches(Specs.DNS_1123_SUBDOMAIN);
      String label = Names.labelValue(name);
      assertThat(label).as("length %d", length).hasSizeLessThanOrEqualTo(63).matches(Specs.LABEL_VALUE);
      children.add(child);
      labels.add(label);
    }
    assertThat(children).hasSize(253);
    assertThat(labels).hasSize(253);
  }

  @ParameterizedTest
  @ValueSource(ints = {44, 45, 46, 47, 52, 60, 63, 64, 65, 100, 253})
  void dashesAtTheCutAreTrimmed(int length) {
    String name = "a" + "-".repeat(length - 2) + "b";
    assertThat(Names.child(name, "filebeat", Names.WORKLOAD_NAME_MAX))
        .hasSizeLessThanOrEqualTo(Names.WORKLOAD_NAME_MAX).matches(Specs.DNS_1035)
        .doesNotContain("--filebeat").doesNotContain("--");
    assertThat(Names.labelValue(name)).hasSizeLessThanOrEqualTo(63).matches(Specs.LABEL_VALUE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1st-pipeline", "0", "9" })
  void aNameStartingWithADigitGetsALetterPrefix(String name) {
    String child = Names.child(name, "logstash", Names.WORKLOAD_NAME_MAX);
    assertThat(child).matches(Specs.DNS_1035).startsWith("lp-" + name + "-").endsWith("-logstash");
    // the prefix is marked by a hash, so the pipeline literally named lp-<name> gets another name
    assertThat(child).isNotEqualTo(Names.child("lp-" + name, "logstash", Names.WORKLOAD_NAME_MAX));
    // label values may start with a digit
    assertThat(Names.labelValue(name)).isEqualTo(name);
  }

  @Test
  void aLongNameStartingWithADigitIsLegal() {
    String name = "1" + "b".repeat(252);
    Pipeline p = longNamed(name);
    assertThat(p.indexerName()).matches(Specs.DNS_1035).hasSizeLessThanOrEqualTo(Names.WORKLOAD_NAME_MAX);
    assertThat(p.shipperName()).matches(Specs.DNS_1035).hasSizeLessThanOrEqualTo(Names.WORKLOAD_NAME_MAX);
    assertThat(p.instance()).matches(Specs.LABEL_VALUE).hasSizeLessThanOrEqualTo(63);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 100})
  void aDigitNameAndItsPrefixedTwinDoNotCollide(int length) {
    String a = "1" + "x".repeat(length - 1);
    String b = "lp-" + a;
    assertThat(Names.child(a, "logstash", Names.WORKLOAD_NAME_MAX))
        .isNotEqualTo(Names.child(b, "logstash", Names.WORKLOAD_NAME_MAX));
  }

  @ParameterizedTest
  @ValueSource(strings = {"my.pipeline", "team.payments.api"})
  void aNameWithDotsGivesDns1035ChildNames(String name) {
    Pipeline p = Specs.resolve(Specs.pipeline(name, "logging", spec -> { }));
    assertThat(p.indexerName()).matches(Specs.DNS_1035);
    assertThat(p.shipperName()).matches(Specs.DNS_1035);
    assertThat(IndexerModel.service(p).getMetadata().getName()).matches(Specs.DNS_1035);
  }

  @Test
  void aLongNameWithDotsGivesDns1035ChildNames() {
    String name = "team.payments.".repeat(18);
    name = name.substring(0, 252) + "x";
    Pipeline p = longNamed(name);
    assertThat(p.indexerName()).matches(Specs.DNS_1035);
  }

  @Test
  void hashIsShortHexAndStable() {
    assertThat(Names.hash("payments", 8)).matches("^[0-9a-f]{8}$")
        .isEqualTo(Names.hash("payments", 8))
        .isNotEqualTo(Names.hash("payments2", 8));
    assertThat(Names.hash("payments", 16)).startsWith(Names.hash("payments", 8));
    // SHA-256 of "abc", a published test vector: stable across JVMs and releases
    assertThat(Names.hash("abc", 16)).isEqualTo("ba7816bf8f01cfea");
  }

  /** A pipeline with the given name and explicit topic/index, so only the names are tested. */
  private static Pipeline longNamed(String name) {
    LogPipeline lp = Specs.pipeline(name, "logging", spec -> {
      spec.getKafka().getTopic().setName("logs");
      spec.getElasticsearch().setIndex("logs");
    });
    return Specs.resolve(lp);
  }

  private static String alternating(int length) {
    StringBuilder b = new StringBuilder();
    List<Character> cycle = new ArrayList<>(List.of('a', '-', 'b', '.', 'c', '1'));
    for (int i = 0; i < length; i++) {
      char c = cycle.get(i % cycle.size());
      // a LogPipeline name starts and ends alphanumeric
      if ((i == 0 || i == length - 1) && !Character.isLetterOrDigit(c)) {
        c = 'z';
      }
      b.append(c);
    }
    return b.toString();
  }
}
