package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.logpipeline.operator.api.KafkaAuthenticationType;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.model.KafkaSecurity.Role;
import io.logpipeline.operator.model.KafkaUserModel;
import io.logpipeline.operator.model.Pipeline;

import org.junit.jupiter.api.Test;

/**
 * The pipeline's Strimzi KafkaUsers, one per client, as on main (the shipper's user is the
 * pipeline's own, whether its Filebeat is shared or not): wanted only with Strimzi and authentication.
 */
class KafkaUserDependentTest {

  static Context<LogPipeline> context(Pipeline p) {
    Context<LogPipeline> context = ReconcilerFixtures.context(null);
    ReconcilerFixtures.workflow(context).put(Pipeline.class, p);
    return context;
  }

  @Test
  void eachClientsUserIsTheModels() {
    LogPipeline lp = ReconcilerFixtures.logPipeline(KafkaCredentialSourcesTest.strimzi(true, KafkaAuthenticationType.TLS));
    Pipeline p = ReconcilerFixtures.pipeline(lp);
    assertThat(new ShipperKafkaUserDependent().desired(lp, context(p)))
        .isEqualTo(KafkaUserModel.kafkaUser(p, Role.SHIPPER));
    assertThat(new IndexerKafkaUserDependent().desired(lp, context(p)))
        .isEqualTo(KafkaUserModel.kafkaUser(p, Role.INDEXER))
        .isNotEqualTo(KafkaUserModel.kafkaUser(p, Role.SHIPPER));
  }

  @Test
  void usersAreWantedOnlyForStrimziWithAuthentication() {
    KafkaUserDependent.Enabled enabled = new KafkaUserDependent.Enabled();
    assertThat(enabled.isMet(null, null, context(ReconcilerFixtures.pipeline(
        KafkaCredentialSourcesTest.strimzi(false, KafkaAuthenticationType.SCRAM_SHA_512))))).isTrue();
    assertThat(enabled.isMet(null, null, context(ReconcilerFixtures.pipeline(
        KafkaCredentialSourcesTest.strimzi(true, KafkaAuthenticationType.NONE))))).isFalse();
    assertThat(enabled.isMet(null, null, context(ReconcilerFixtures.pipeline(
        KafkaCredentialSourcesTest.external(false, KafkaAuthenticationType.SCRAM_SHA_512))))).isFalse();
  }
}
