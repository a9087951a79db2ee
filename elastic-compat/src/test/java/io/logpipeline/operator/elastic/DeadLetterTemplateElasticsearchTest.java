package io.logpipeline.operator.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dead-letter template on a real Elasticsearch 7.17 node: what the main index rejects, it takes. */
class DeadLetterTemplateElasticsearchTest {

  private static ElasticsearchNode node;

  @BeforeAll
  static void startNode() {
    node = ElasticsearchNode.startNew();
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void everyDocumentTheMainTemplateRejectsIsAcceptedAsADeadLetter() throws Exception {
    List<DeadLetterTemplateCheck.Outcome> outcomes = DeadLetterTemplateCheck.run(node.httpUri());

    assertThat(outcomes).hasSize(4).allSatisfy(o -> {
      assertThat(o.mainStatus()).as(o.name() + ": the main index rejects it").isEqualTo(400);
      assertThat(o.deadLetterStatus()).as(o.name() + ": the dead-letter index takes it: " + o.deadLetterBody())
          .isEqualTo(201);
    });
    var stored = DeadLetterTemplateCheck.storedDeadLetter(node.httpUri(), "doc-0");
    assertThat(stored.at("/_source/event/original").asText()).contains("not-a-number");
    assertThat(stored.at("/_source/logpipeline").asText()).isEqualTo("shop/checkout");
    assertThat(DeadLetterTemplateCheck.deadLetterHits(node.httpUri(), "error.message:mapper_parsing_exception"))
        .isEqualTo(4);
    assertThat(DeadLetterTemplateCheck.deadLetterHits(node.httpUri(), "logpipeline:%22shop/checkout%22"))
        .isEqualTo(4);
  }
}
