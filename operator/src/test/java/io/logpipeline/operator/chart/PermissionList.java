package io.logpipeline.operator.chart;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * src/test/resources/chart/operator-permissions.yaml: what the operator calls on the Kubernetes
 * API, kept beside the code and checked against it and against the chart.
 */
record PermissionList(List<Permission> permissions, List<Map<String, Object>> grantedByKubernetes) {

  static final String CLUSTER = "cluster";
  static final String NAMESPACED = "namespaced";
  static final String LEADER_ELECTION = "leader-election";
  static final String KAFKA_NAMESPACE = "kafka-namespace";
  static final String OPERATOR_NAMESPACE = "operator-namespace";

  record Permission(String apiGroup, String resource, List<String> resourceNames, List<String> verbs,
      String scope, String why) {

    List<String> names() {
      return resourceNames == null || resourceNames.isEmpty() ? List.of("") : resourceNames;
    }
  }

  /** One verb on one resource (and name) in one scope: the unit the list and the code are compared in. */
  record Use(String scope, String apiGroup, String resource, String resourceName, String verb) {
    @Override
    public String toString() {
      return verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource
          + (resourceName.isEmpty() ? "" : " named " + resourceName) + " (" + scope + ")";
    }
  }

  static PermissionList load() {
    try {
      return new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .readValue(Chart.resource("operator-permissions.yaml").toFile(), PermissionList.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Set<Use> uses() {
    Set<Use> uses = new LinkedHashSet<>();
    for (Permission p : permissions) {
      for (String verb : p.verbs()) {
        for (String name : p.names()) {
          uses.add(new Use(p.scope(), p.apiGroup(), p.resource(), name, verb));
        }
      }
    }
    return uses;
  }

  /**
   * The grants an install must give the operator, no more and no less: cluster entries
   * cluster-wide; namespaced entries in each watched namespace, or cluster-wide when it watches
   * every namespace; leader-election entries in the release's namespace when leader election is on.
   */
  Set<Rbac.Grant> expectedGrants(List<String> watchNamespaces, boolean leaderElection, String releaseNamespace) {
    return expectedGrants(watchNamespaces, List.of(), leaderElection, releaseNamespace);
  }

  Set<Rbac.Grant> expectedGrants(List<String> watchNamespaces, List<String> kafkaNamespaces,
      boolean leaderElection, String releaseNamespace) {
    Set<Rbac.Grant> grants = new LinkedHashSet<>();
    for (Use u : uses()) {
      switch (u.scope()) {
        case CLUSTER -> grants.add(grant(null, u));
        case NAMESPACED -> {
          if (watchNamespaces.isEmpty()) {
            grants.add(grant(null, u));
          } else {
            watchNamespaces.forEach(ns -> grants.add(grant(ns, u)));
          }
        }
        case KAFKA_NAMESPACE -> {
          if (watchNamespaces.isEmpty()) {
            grants.add(grant(null, u));
          } else {
            kafkaNamespaces.forEach(ns -> grants.add(grant(ns, u)));
          }
        }
        case OPERATOR_NAMESPACE -> grants.add(grant(releaseNamespace, u));
        case LEADER_ELECTION -> {
          if (leaderElection) {
            grants.add(grant(releaseNamespace, u));
          }
        }
        default -> throw new AssertionError("unknown scope " + u.scope() + " in " + u);
      }
    }
    return grants;
  }

  private static Rbac.Grant grant(String namespace, Use u) {
    return new Rbac.Grant(namespace, u.apiGroup(), u.resource(), u.resourceName(), u.verb());
  }
}
