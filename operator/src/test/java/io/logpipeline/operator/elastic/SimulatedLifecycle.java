package io.logpipeline.operator.elastic;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * ILM or ISM for tests, in memory, in front of a real search client: neither can run in a test
 * JVM from Maven Central's artifacts (ILM is in x-pack, the ISM plugin is not published there).
 * Templates and data streams go to the real server; policies stay here, with the rules each
 * product documents: ILM replaces a policy on PUT and refuses to delete one in use; ISM adds its
 * own fields to a stored policy, refuses to replace one without the {@code _seq_no} and {@code
 * _primary_term} it was read with (409), and accepts one condition per transition. {@link #calls}
 * records the writes in order, so a test can see the policy go out before the template.
 */
public final class SimulatedLifecycle {

  /** The writes, oldest first: "PUT policy x", "PUT template x", "PUT data_stream x", ... */
  public final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, StoredPolicy> policies = new ConcurrentHashMap<>();
  private final LifecycleApi api;
  /** ILM: refuse to delete a policy, as when indices still use it. */
  public volatile boolean inUse;

  /** @param api the API the simulated cluster serves; the other answers Unsupported */
  public SimulatedLifecycle(LifecycleApi api) {
    this.api = api;
  }

  public SearchClients clients() {
    return clients(HttpSearchClient::new);
  }

  public SearchClients clients(Function<SearchConnection, SearchClient> real) {
    return new SearchClients(connection -> new Client(real.apply(connection)));
  }

  /** The policy as stored, or empty. */
  public Optional<ObjectNode> policy(String name) {
    return Optional.ofNullable(policies.get(name)).map(s -> s.policy().deepCopy());
  }

  /** A change by hand (Kibana, Dashboards, curl): the stored policy is replaced. */
  public void replaceByHand(String name, ObjectNode policy) {
    StoredPolicy old = policies.get(name);
    long seqNo = old == null ? 0 : old.seqNo() + 1;
    policies.put(name, new StoredPolicy(policy.deepCopy(), seqNo, 1));
  }

  /** A deletion by hand. */
  public void deleteByHand(String name) {
    policies.remove(name);
  }

  private final class Client implements SearchClient {
    private final SearchClient real;

    Client(SearchClient real) {
      this.real = real;
    }

    private void check(LifecycleApi requested, String call) throws SearchException {
      if (requested != api) {
        throw new SearchException(SearchException.Reason.Unsupported,
            "simulated cluster has no " + requested + ": " + call + " answered 400");
      }
    }

    @Override
    public Optional<StoredPolicy> getLifecyclePolicy(LifecycleApi requested, String name)
        throws SearchException {
      check(requested, "GET policy " + name);
      return Optional.ofNullable(policies.get(name))
          .map(s -> new StoredPolicy(s.policy().deepCopy(), s.seqNo(), s.primaryTerm()));
    }

    @Override
    public synchronized void putLifecyclePolicy(LifecycleApi requested, String name,
        ObjectNode body, StoredPolicy current) throws SearchException {
      check(requested, "PUT policy " + name);
      StoredPolicy old = policies.get(name);
      ObjectNode policy = ((ObjectNode) body.get("policy")).deepCopy();
      if (requested == LifecycleApi.ISM) {
        if (old != null && (current == null || current.seqNo() != old.seqNo()
            || current.primaryTerm() != old.primaryTerm())) {
          throw new SearchException(SearchException.Reason.Rejected, "simulated ISM answered 409"
              + " version_conflict_engine_exception to PUT policy " + name);
        }
        for (var state : policy.path("states")) {
          for (var transition : state.path("transitions")) {
            if (transition.path("conditions").size() > 1) {
              throw new SearchException(SearchException.Reason.Rejected, "simulated ISM answered"
                  + " 400: Cannot provide more than one Transition condition");
            }
          }
        }
        policy.put("policy_id", name);
        policy.put("last_updated_time", System.currentTimeMillis());
        policy.put("schema_version", 21);
        policy.putNull("error_notification");
      }
      calls.add("PUT policy " + name);
      policies.put(name, new StoredPolicy(policy, old == null ? 0 : old.seqNo() + 1, 1));
    }

    @Override
    public PolicyDeletion deleteLifecyclePolicy(LifecycleApi requested, String name)
        throws SearchException {
      check(requested, "DELETE policy " + name);
      if (requested == LifecycleApi.ILM && inUse && policies.containsKey(name)) {
        return PolicyDeletion.IN_USE;
      }
      calls.add("DELETE policy " + name);
      return policies.remove(name) == null ? PolicyDeletion.ABSENT : PolicyDeletion.DELETED;
    }

    @Override
    public int changeManagedIndicesPolicy(String name, List<String> patterns)
        throws SearchException {
      check(LifecycleApi.ISM, "POST change_policy " + name);
      calls.add("POST change_policy " + name + " " + String.join(",", patterns));
      return 0;
    }

    @Override
    public Optional<ObjectNode> getIndexTemplate(String name) throws SearchException {
      return real.getIndexTemplate(name);
    }

    @Override
    public void putIndexTemplate(String name, ObjectNode body) throws SearchException {
      calls.add("PUT template " + name);
      real.putIndexTemplate(name, body);
    }

    @Override
    public boolean deleteIndexTemplate(String name) throws SearchException {
      calls.add("DELETE template " + name);
      return real.deleteIndexTemplate(name);
    }

    @Override
    public boolean dataStreamExists(String name) throws SearchException {
      return real.dataStreamExists(name);
    }

    @Override
    public void createDataStream(String name) throws SearchException {
      calls.add("PUT data_stream " + name);
      real.createDataStream(name);
    }

    @Override
    public List<com.fasterxml.jackson.databind.JsonNode> multiSearch(List<Search> searches) throws SearchException {
      return real.multiSearch(searches);
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
