package io.logpipeline.operator.logstash;

import static org.assertj.core.api.Assertions.assertThat;

import io.logpipeline.operator.api.CredentialsSecretRef;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.IndexerSpec;
import io.logpipeline.operator.api.LogPipelineSpec;
import io.logpipeline.operator.api.SecretKeySpec;
import io.logpipeline.operator.api.TemplateSpec;
import io.logpipeline.operator.api.TlsSpec;
import io.logpipeline.operator.logstash.Value.ArrayValue;
import io.logpipeline.operator.logstash.Value.BarewordValue;
import io.logpipeline.operator.logstash.Value.StringValue;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pipeline.conf the operator generates is a pipeline Logstash would load. */
class GeneratedPipelineTest {

  static Stream<Arguments> specs() {
    Map<String, Consumer<LogPipelineSpec>> specs = Map.of(
        "minimal", spec -> { },
        "opensearch with CA and skip-verify", spec -> {
          spec.getElasticsearch().setFlavor(Flavor.OPENSEARCH);
          TlsSpec tls = new TlsSpec();
          SecretKeySpec ca = new SecretKeySpec();
          ca.setName("search-ca");
          ca.setKey("ca.crt");
          tls.setCaSecret(ca);
          tls.setInsecureSkipVerify(true);
          spec.getElasticsearch().setTls(tls);
          CredentialsSecretRef creds = new CredentialsSecretRef();
          creds.setName("search-user");
          creds.setUsernameKey("username");
          creds.setPasswordKey("password");
          spec.getElasticsearch().setCredentialsSecret(creds);
        },
        "elasticsearch data stream with api key and CA", spec -> {
          TemplateSpec template = new TemplateSpec();
          template.setDataStream(true);
          spec.getElasticsearch().setTemplate(template);
          CredentialsSecretRef creds = new CredentialsSecretRef();
          creds.setName("es-key");
          creds.setApiKeyKey("api_key");
          spec.getElasticsearch().setCredentialsSecret(creds);
          TlsSpec tls = new TlsSpec();
          SecretKeySpec ca = new SecretKeySpec();
          ca.setName("es-ca");
          ca.setKey("ca.crt");
          tls.setCaSecret(ca);
          tls.setInsecureSkipVerify(true);
          spec.getElasticsearch().setTls(tls);
        },
        "with a user filter", spec -> {
          IndexerSpec indexer = new IndexerSpec();
          indexer.setFilter("if [kubernetes][namespace] == \"prod\" {\n"
              + "  mutate { add_tag => [\"prod\"] } # tag it\n}\n# trailing comment");
          spec.setIndexer(indexer);
        });
    return specs.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("specs")
  void parsesAsAWholePipeline(String name, Consumer<LogPipelineSpec> edit) throws Exception {
    PipelineConfig conf = LogstashParser.parsePipeline(OperatorPipelines.pipelineConfig(edit));

    assertThat(conf.sections()).extracting(PipelineConfig.Section::type)
        .containsExactly("input", "filter", "output");
    Plugin kafka = conf.sections("input").get(0).plugins().get(0);
    assertThat(kafka.name()).isEqualTo("kafka");
    assertThat(kafka.setting("codec")).contains(new BarewordValue("json"));
    assertThat(kafka.setting("topics")).contains(
        new ArrayValue(List.of(new StringValue("logs.logging.payments"))));
    assertThat(conf.sections("filter").get(0).plugins().get(0).name()).isEqualTo("fingerprint");
    Plugin output = conf.sections("output").get(0).plugins().get(0);
    assertThat(output.name()).isIn("elasticsearch", "opensearch");
    assertThat(output.setting("manage_template")).contains(new BarewordValue("false"));
  }

  @Test
  void keepsTheUsersConditionalInTheFilterSection() throws Exception {
    PipelineConfig conf = LogstashParser.parsePipeline(OperatorPipelines.withFilter(
        "if [a] == \"b\" { drop { } } else { mutate { add_tag => [\"kept\"] } }"));

    List<Statement> filter = conf.sections("filter").get(0).statements();
    // Everything runs inside the branch that canaries skip.
    assertThat(filter).hasSize(1);
    List<Statement> events = ((Conditional) filter.get(0)).branches().get(0).body();
    assertThat(events).hasSize(2);
    assertThat(events.get(1)).isInstanceOf(Conditional.class);
    assertThat(conf.sections("filter").get(0).plugins()).extracting(Plugin::name)
        .containsExactly("fingerprint", "drop", "mutate");
  }
}
