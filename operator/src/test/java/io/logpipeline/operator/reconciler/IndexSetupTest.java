package io.logpipeline.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logpipeline.operator.TestLogPipelines;
import io.logpipeline.operator.api.Flavor;
import io.logpipeline.operator.api.LifecycleSpec;
import io.logpipeline.operator.api.LogPipeline;
import io.logpipeline.operator.elastic.InMemoryTemplates;
import io.logpipeline.operator.elastic.LifecycleApi;
import io.logpipeline.operator.elastic.SearchClient;
import io.logpipeline.operator.elastic.SearchConnection;
import io.logpipeline.operator.elastic.SearchException;
import io.logpipeline.operator.elastic.SimulatedLifecycle;
import io.logpipeline.operator.elastic.StoredPolicy;
import io.logpipeline.operator.model.IndexTemplateModel;
import io.logpipeline.operator.model.Pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexSetup} on an in-memory search cluster: what is written when (nothing when current,
 * the policy before the template, the data stream once), drift put back, objects of another
 * LogPipeline refused, a cluster without the lifecycle API, a lifecycle taken out of the spec, and
 * removal that keeps what another pipeline or a data stream still needs.
 */
class IndexSetupTest {

  static final ObjectMapper JSON = new ObjectMapper();

  final InMemoryTemplates templates = new InMemoryTemplates();

  static Pipeline pipeline(String name, Consumer<LogPipeline> edit) {
    LogPipeline lp = TestLogPipelines.minimal(name, "logging", "https://es:9200");
    edit.accept(lp);
    return StubbedContext.valid(lp);
  }

  static Consumer<LogPipeline> lifecycle(String deleteAfter) {
    return lp -> {
      LifecycleSpec lifecycle = new LifecycleSpec();
      lifecycle.setDeleteAfter(deleteAfter);
      lp.getSpec().getElasticsearch().setLifecycle(lifecycle);
    };
  }

  static final Consumer<LogPipeline> OPENSEARCH = lp -> lp.getSpec().getElasticsearch().setFlavor(Flavor.OPENSEARCH);
  static final Consumer<LogPipeline> DATA_STREAM = lp -> lp.getSpec().getElasticsearch().getTemplate().setDataStream(true);

  /** The in-memory templates behind a simulated ILM or ISM. */
  SearchClient withLifecycle(SimulatedLifecycle lifecycle) {
    return lifecycle.clients(c -> templates).client(SearchConnection.plain(java.net.URI.create("https://es:9200")));
  }

  @Test
  void aNewTemplateIsCreatedOnceAndThenLeftAlone() {
    Pipeline p = pipeline("app", lp -> {});
    IndexSetup.Result first = IndexSetup.converge(templates, p);
    assertThat(first.created()).isTrue();
    assertThat(first.written()).isTrue();
    assertThat(first.lifecycleUnavailable()).isNull();
    ObjectNode stored = templates.templates.get(p.templateName());
    assertThat(stored.path("_meta").path("logpipeline").asText()).isEqualTo("logging/app");
    assertThat(first.templateHash()).isEqualTo(IndexTemplateModel.storedHash(stored));

    IndexSetup.Result second = IndexSetup.converge(templates, p);
    assertThat(second.created()).isFalse();
    assertThat(second.written()).isFalse();
    assertThat(second.templateHash()).isEqualTo(first.templateHash());
  }

  @Test
  void aTemplateChangedByHandIsPutBack() {
    Pipeline p = pipeline("app", lp -> {});
    IndexSetup.converge(templates, p);
    ObjectNode changed = templates.templates.get(p.templateName()).deepCopy();
    ((ObjectNode) changed.path("_meta")).put(IndexTemplateModel.HASH_KEY, "edited");
    templates.templates.put(p.templateName(), changed);

    IndexSetup.Result result = IndexSetup.converge(templates, p);

    assertThat(result.written()).isTrue();
    assertThat(result.created()).isFalse();
    assertThat(IndexTemplateModel.storedHash(templates.templates.get(p.templateName()))).isEqualTo(result.templateHash());
  }

  @Test
  void anotherPipelinesTemplateIsNotTouched() {
    Pipeline mine = pipeline("app", lp -> {});
    ObjectNode theirs = JSON.createObjectNode();
    theirs.putObject("_meta").put("logpipeline", "payments/app");
    templates.templates.put(mine.templateName(), theirs);

    StageException e = catchThrowableOfType(StageException.class, () -> IndexSetup.converge(templates, mine));

    assertThat(e.reason()).isEqualTo("Conflict");
    assertThat(e.getMessage()).isEqualTo("index template " + mine.templateName()
        + " belongs to LogPipeline payments/app; choose another spec.elasticsearch.index");
    assertThat(templates.templates.get(mine.templateName())).isEqualTo(theirs);
  }

  @Test
  void aTemplateWithoutOwnerIsTakenOver() {
    Pipeline p = pipeline("app", lp -> {});
    templates.templates.put(p.templateName(), JSON.createObjectNode());
    IndexSetup.Result result = IndexSetup.converge(templates, p);
    assertThat(result.written()).isTrue();
    assertThat(result.created()).isFalse();
  }

  @Test
  void aClusterWithoutIlmGetsTheTemplateWithoutTheLifecycleAndSaysSo() {
    Pipeline p = pipeline("app", lifecycle("30d"));

    IndexSetup.Result result = IndexSetup.converge(templates, p);

    assertThat(result.written()).isTrue();
    assertThat(templates.templates.get(p.templateName()).path("_meta").has(IndexTemplateModel.LIFECYCLE_POLICY_KEY))
        .isFalse();
    StageException unavailable = result.lifecycleUnavailable();
    assertThat(unavailable.reason()).isEqualTo("IlmUnavailable");
    assertThat(unavailable.getMessage()).startsWith("in-memory cluster has no ILM. The cluster is Elasticsearch"
        + " without ILM (the OSS build, or not Elasticsearch)")
        .contains("or remove spec.elasticsearch.lifecycle")
        .endsWith("The index template " + p.templateName() + " was written without the lifecycle:"
            + " its indices are kept forever");
  }

  @Test
  void openSearchWithoutIsmSaysWhichPluginIsMissing() {
    Pipeline p = pipeline("app", lifecycle("30d").andThen(OPENSEARCH));
    StageException unavailable = IndexSetup.converge(templates, p).lifecycleUnavailable();
    assertThat(unavailable.reason()).isEqualTo("IsmUnavailable");
    assertThat(unavailable.getMessage()).contains("opensearch-index-management");
  }

  @Test
  void thePolicyGoesOutBeforeTheTemplateThatNamesIt() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline p = pipeline("app", lifecycle("30d"));

    IndexSetup.Result result = IndexSetup.converge(withLifecycle(ilm), p);

    assertThat(result.lifecycleUnavailable()).isNull();
    String policy = p.indexNames().policyName();
    assertThat(ilm.calls).containsExactly("PUT policy " + policy, "PUT template " + p.templateName());
    assertThat(templates.templates.get(p.templateName()).path("_meta").path(IndexTemplateModel.LIFECYCLE_POLICY_KEY)
        .asText()).isEqualTo(policy);

    ilm.calls.clear();
    assertThat(IndexSetup.converge(withLifecycle(ilm), p).written()).isFalse();
    assertThat(ilm.calls).isEmpty();
  }

  @Test
  void aPolicyChangedByHandIsPutBackAndIsmMovesTheIndices() {
    SimulatedLifecycle ism = new SimulatedLifecycle(LifecycleApi.ISM);
    Pipeline p = pipeline("app", lifecycle("30d").andThen(OPENSEARCH));
    String policy = p.indexNames().policyName();
    IndexSetup.converge(withLifecycle(ism), p);
    ObjectNode edited = ism.policy(policy).orElseThrow();
    edited.put("description", "edited by hand");
    ism.replaceByHand(policy, edited);
    ism.calls.clear();

    IndexSetup.Result result = IndexSetup.converge(withLifecycle(ism), p);

    assertThat(result.written()).isTrue();
    assertThat(ism.calls).containsExactly("PUT policy " + policy,
        "POST change_policy " + policy + " " + String.join(",", p.indexNames().patterns()));
  }

  @Test
  void anIlmPolicyChangeMovesNoIndices() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline p = pipeline("app", lifecycle("30d"));
    IndexSetup.converge(withLifecycle(ilm), p);
    ilm.calls.clear();
    IndexSetup.Result result = IndexSetup.converge(withLifecycle(ilm), pipeline("app", lifecycle("60d")));
    assertThat(result.written()).isTrue();
    // The template names the policy, which it still does: only the policy changes.
    assertThat(ilm.calls).containsExactly("PUT policy " + p.indexNames().policyName());
  }

  @Test
  void anotherPipelinesPolicyIsNotTouched() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline theirs = pipeline("app", lifecycle("30d"));
    IndexSetup.converge(withLifecycle(ilm), theirs);
    // Another namespace's pipeline with the same policy name.
    LogPipeline other = TestLogPipelines.minimal("app", "payments", "https://es:9200");
    lifecycle("30d").accept(other);
    other.getSpec().getElasticsearch().setIndex(theirs.index());
    Pipeline mine = StubbedContext.valid(other);
    assertThat(mine.indexNames().policyName()).isEqualTo(theirs.indexNames().policyName());
    ilm.calls.clear();

    StageException e = catchThrowableOfType(StageException.class, () -> IndexSetup.converge(withLifecycle(ilm), mine));

    assertThat(e.reason()).isEqualTo("Conflict");
    assertThat(e.getMessage()).isEqualTo("ILM policy " + mine.indexNames().policyName()
        + " belongs to LogPipeline logging/app; choose another spec.elasticsearch.index");
    assertThat(ilm.calls).isEmpty();
  }

  @Test
  void aLifecycleTakenOutOfTheSpecTakesThePolicyAway() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline with = pipeline("app", lifecycle("30d"));
    String policy = with.indexNames().policyName();
    IndexSetup.converge(withLifecycle(ilm), with);
    ilm.calls.clear();

    IndexSetup.Result result = IndexSetup.converge(withLifecycle(ilm), pipeline("app", lp -> {}));

    assertThat(result.written()).isTrue();
    assertThat(ilm.calls).containsExactly("PUT template " + with.templateName(), "DELETE policy " + policy);
    assertThat(ilm.policy(policy)).isEmpty();
  }

  @Test
  void anIlmPolicyInUseStays() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline with = pipeline("app", lifecycle("30d"));
    IndexSetup.converge(withLifecycle(ilm), with);
    ilm.inUse = true;
    IndexSetup.converge(withLifecycle(ilm), pipeline("app", lp -> {}));
    assertThat(ilm.policy(with.indexNames().policyName())).isPresent();
  }

  @Test
  void theDataStreamIsCreatedOnce() {
    Pipeline p = pipeline("app", DATA_STREAM);
    IndexSetup.converge(templates, p);
    assertThat(templates.dataStreams).containsExactly(p.index());
    templates.templates.clear();
    templates.dataStreams.clear();
    templates.dataStreams.add(p.index());
    IndexSetup.Result again = IndexSetup.converge(templates, p);
    assertThat(again.written()).isTrue();
    templates.dataStreams.clear();
    IndexSetup.Result streamOnly = IndexSetup.converge(templates, p);
    assertThat(streamOnly.written()).as("the data stream alone is a write").isTrue();
    assertThat(streamOnly.created()).isFalse();
    assertThat(templates.dataStreams).containsExactly(p.index());
    assertThat(IndexSetup.converge(templates, p).written()).isFalse();
  }

  @Test
  void aFailingClusterIsAStageErrorWithItsReason() {
    Failing failing = new Failing(templates);
    failing.fail.put("getIndexTemplate", new SearchException(SearchException.Reason.Unreachable, "es:9200 refused"));
    StageException e = catchThrowableOfType(StageException.class,
        () -> IndexSetup.converge(failing, pipeline("app", lp -> {})));
    assertThat(e.reason()).isEqualTo("Unreachable");
    assertThat(e.getMessage()).isEqualTo("es:9200 refused");
    assertThat(e.getCause()).isInstanceOf(SearchException.class);
  }

  @Test
  void aPolicyReadRefusedForAnotherReasonFails() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Failing failing = new Failing(withLifecycle(ilm));
    failing.fail.put("getLifecyclePolicy", new SearchException(SearchException.Reason.Unauthorized, "403"));
    StageException e = catchThrowableOfType(StageException.class,
        () -> IndexSetup.converge(failing, pipeline("app", lifecycle("30d"))));
    assertThat(e.reason()).isEqualTo("Unauthorized");
    assertThat(templates.templates).as("no template without its policy").isEmpty();
  }

  @Test
  void ismIndicesThatCannotBeMovedAreNoFailure() {
    SimulatedLifecycle ism = new SimulatedLifecycle(LifecycleApi.ISM);
    Pipeline p = pipeline("app", lifecycle("30d").andThen(OPENSEARCH));
    IndexSetup.converge(withLifecycle(ism), p);
    Failing failing = new Failing(withLifecycle(ism));
    failing.fail.put("changeManagedIndicesPolicy", new SearchException(SearchException.Reason.ServerError, "500"));
    IndexSetup.Result result = IndexSetup.converge(failing, pipeline("app", lifecycle("60d").andThen(OPENSEARCH)));
    assertThat(result.written()).isTrue();
  }

  // --- removal

  @Test
  void removalDeletesOnlyWhatThisPipelineWrote() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline p = pipeline("app", lifecycle("30d"));
    IndexSetup.converge(withLifecycle(ilm), p);

    IndexSetup.remove(withLifecycle(ilm), p);

    assertThat(templates.templates).isEmpty();
    assertThat(ilm.policy(p.indexNames().policyName())).isEmpty();
  }

  @Test
  void removalLeavesAnotherPipelinesTemplateAndPolicy() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline theirs = pipeline("app", lifecycle("30d"));
    IndexSetup.converge(withLifecycle(ilm), theirs);
    LogPipeline other = TestLogPipelines.minimal("app", "payments", "https://es:9200");
    lifecycle("30d").accept(other);
    other.getSpec().getElasticsearch().setIndex(theirs.index());
    ilm.calls.clear();

    IndexSetup.remove(withLifecycle(ilm), StubbedContext.valid(other));

    assertThat(templates.templates).containsKey(theirs.templateName());
    assertThat(ilm.policy(theirs.indexNames().policyName())).isPresent();
    assertThat(ilm.calls).isEmpty();
  }

  @Test
  void removalWithoutTemplateStillTakesItsOwnPolicy() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline p = pipeline("app", lifecycle("30d"));
    IndexSetup.converge(withLifecycle(ilm), p);
    templates.templates.clear();
    IndexSetup.remove(withLifecycle(ilm), p);
    assertThat(ilm.policy(p.indexNames().policyName())).isEmpty();
    // Nothing at all, no lifecycle: nothing to do.
    IndexSetup.remove(templates, pipeline("app", lp -> {}));
  }

  @Test
  void aTemplateInUseByADataStreamStaysWithItsPolicy() {
    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Pipeline p = pipeline("app", DATA_STREAM.andThen(lp -> {
      LifecycleSpec lifecycle = new LifecycleSpec();
      lifecycle.setRolloverMaxAge("1d");
      lifecycle.setDeleteAfter("30d");
      lp.getSpec().getElasticsearch().setLifecycle(lifecycle);
    }));
    IndexSetup.converge(withLifecycle(ilm), p);
    Failing failing = new Failing(withLifecycle(ilm));
    failing.fail.put("deleteIndexTemplate", new SearchException(SearchException.Reason.Rejected,
        "index template [x] in use by a data stream"));

    IndexSetup.remove(failing, p);

    assertThat(templates.templates).containsKey(p.templateName());
    assertThat(ilm.policy(p.indexNames().policyName())).isPresent();
  }

  @Test
  void anyOtherRefusalOfRemovalIsAStageError() {
    Pipeline p = pipeline("app", lp -> {});
    IndexSetup.converge(templates, p);
    Failing failing = new Failing(templates);
    failing.fail.put("deleteIndexTemplate", new SearchException(SearchException.Reason.Unauthorized, "403 forbidden"));
    StageException e = catchThrowableOfType(StageException.class, () -> IndexSetup.remove(failing, p));
    assertThat(e.reason()).isEqualTo("Unauthorized");

    SimulatedLifecycle ilm = new SimulatedLifecycle(LifecycleApi.ILM);
    Failing policyRead = new Failing(withLifecycle(ilm));
    policyRead.fail.put("getLifecyclePolicy", new SearchException(SearchException.Reason.ServerError, "500"));
    StageException e2 = catchThrowableOfType(StageException.class,
        () -> IndexSetup.remove(policyRead, pipeline("other", lifecycle("30d"))));
    assertThat(e2.reason()).isEqualTo("ServerError");
  }

  @Test
  void removalOnAClusterWithoutTheLifecycleApiTakesTheTemplate() {
    Pipeline p = pipeline("app", lifecycle("30d"));
    IndexSetup.converge(templates, p);
    IndexSetup.remove(templates, p);
    assertThat(templates.templates).isEmpty();
  }

  /** A client whose named calls fail, the others going to the delegate. */
  static final class Failing implements SearchClient {
    final SearchClient delegate;
    final Map<String, SearchException> fail = new ConcurrentHashMap<>();

    Failing(SearchClient delegate) {
      this.delegate = delegate;
    }

    private void check(String call) throws SearchException {
      SearchException e = fail.get(call);
      if (e != null) {
        throw e;
      }
    }

    @Override
    public Optional<ObjectNode> getIndexTemplate(String name) throws SearchException {
      check("getIndexTemplate");
      return delegate.getIndexTemplate(name);
    }

    @Override
    public void putIndexTemplate(String name, ObjectNode body) throws SearchException {
      check("putIndexTemplate");
      delegate.putIndexTemplate(name, body);
    }

    @Override
    public boolean deleteIndexTemplate(String name) throws SearchException {
      check("deleteIndexTemplate");
      return delegate.deleteIndexTemplate(name);
    }

    @Override
    public Optional<StoredPolicy> getLifecyclePolicy(LifecycleApi api, String name) throws SearchException {
      check("getLifecyclePolicy");
      return delegate.getLifecyclePolicy(api, name);
    }

    @Override
    public void putLifecyclePolicy(LifecycleApi api, String name, ObjectNode body, StoredPolicy current)
        throws SearchException {
      check("putLifecyclePolicy");
      delegate.putLifecyclePolicy(api, name, body, current);
    }

    @Override
    public PolicyDeletion deleteLifecyclePolicy(LifecycleApi api, String name) throws SearchException {
      check("deleteLifecyclePolicy");
      return delegate.deleteLifecyclePolicy(api, name);
    }

    @Override
    public int changeManagedIndicesPolicy(String name, List<String> patterns) throws SearchException {
      check("changeManagedIndicesPolicy");
      return delegate.changeManagedIndicesPolicy(name, patterns);
    }

    @Override
    public boolean dataStreamExists(String name) throws SearchException {
      check("dataStreamExists");
      return delegate.dataStreamExists(name);
    }

    @Override
    public void createDataStream(String name) throws SearchException {
      check("createDataStream");
      delegate.createDataStream(name);
    }

    @Override
    public List<JsonNode> multiSearch(List<Search> searches) throws SearchException {
      check("multiSearch");
      return delegate.multiSearch(searches);
    }

    @Override
    public void close() {}
  }
}
