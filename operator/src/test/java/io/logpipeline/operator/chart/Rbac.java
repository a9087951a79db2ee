package io.logpipeline.operator.chart;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What a set of rendered RBAC objects lets one ServiceAccount do, one grant per verb and resource. */
final class Rbac {

  /**
   * One permission: a verb on a resource ("logpipelines/status" for a subresource) of an API
   * group, in one namespace or (namespace null) in all of them and at cluster scope, on objects
   * of one name or (resourceName "") of any name.
   */
  record Grant(String namespace, String apiGroup, String resource, String resourceName, String verb) {
    @Override
    public String toString() {
      return verb + " " + (apiGroup.isEmpty() ? "core" : apiGroup) + "/" + resource
          + (resourceName.isEmpty() ? "" : " named " + resourceName)
          + (namespace == null ? " cluster-wide" : " in " + namespace);
    }
  }

  private Rbac() {}

  /** The grants of every ClusterRoleBinding and RoleBinding whose subjects include the ServiceAccount. */
  static Set<Grant> grants(List<HasMetadata> objects, String saNamespace, String saName) {
    Map<String, ClusterRole> clusterRoles = Chart.all(objects, ClusterRole.class).stream()
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), Function.identity()));
    Map<String, Role> roles = Chart.all(objects, Role.class).stream()
        .collect(Collectors.toMap(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName(),
            Function.identity()));
    Set<Grant> grants = new LinkedHashSet<>();
    for (ClusterRoleBinding b : Chart.all(objects, ClusterRoleBinding.class)) {
      if (bindsTo(b.getSubjects(), saNamespace, saName)) {
        grants.addAll(expand(null, rulesOf(b.getRoleRef(), null, clusterRoles, roles)));
      }
    }
    for (RoleBinding b : Chart.all(objects, RoleBinding.class)) {
      if (bindsTo(b.getSubjects(), saNamespace, saName)) {
        String ns = b.getMetadata().getNamespace();
        grants.addAll(expand(ns, rulesOf(b.getRoleRef(), ns, clusterRoles, roles)));
      }
    }
    return grants;
  }

  private static boolean bindsTo(List<Subject> subjects, String namespace, String name) {
    return subjects != null && subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind())
        && name.equals(s.getName()) && namespace.equals(s.getNamespace()));
  }

  private static List<PolicyRule> rulesOf(RoleRef ref, String namespace,
      Map<String, ClusterRole> clusterRoles, Map<String, Role> roles) {
    if (!"rbac.authorization.k8s.io".equals(ref.getApiGroup())) {
      throw new AssertionError("roleRef with apiGroup " + ref.getApiGroup());
    }
    if ("ClusterRole".equals(ref.getKind())) {
      ClusterRole role = clusterRoles.get(ref.getName());
      if (role == null) {
        throw new AssertionError("binding to ClusterRole " + ref.getName() + ", which the chart does not render");
      }
      if (role.getAggregationRule() != null) {
        throw new AssertionError("aggregated ClusterRole " + ref.getName());
      }
      return role.getRules();
    }
    if ("Role".equals(ref.getKind()) && namespace != null) {
      Role role = roles.get(namespace + "/" + ref.getName());
      if (role == null) {
        throw new AssertionError("binding to Role " + namespace + "/" + ref.getName()
            + ", which the chart does not render");
      }
      return role.getRules();
    }
    throw new AssertionError("roleRef " + ref);
  }

  /** The rules as single grants; a wildcard or a non-resource URL fails: the chart uses neither. */
  static Set<Grant> expand(String namespace, List<PolicyRule> rules) {
    Set<Grant> grants = new LinkedHashSet<>();
    for (PolicyRule rule : rules) {
      if (!rule.getNonResourceURLs().isEmpty()) {
        throw new AssertionError("non-resource URLs granted: " + rule);
      }
      List<String> names = rule.getResourceNames().isEmpty() ? List.of("") : rule.getResourceNames();
      noWildcard(rule, rule.getApiGroups(), rule.getResources(), rule.getVerbs(), names);
      if (rule.getApiGroups().isEmpty() || rule.getResources().isEmpty() || rule.getVerbs().isEmpty()) {
        throw new AssertionError("rule that grants nothing: " + rule);
      }
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            for (String name : names) {
              grants.add(new Grant(namespace, group, resource, name, verb));
            }
          }
        }
      }
    }
    return grants;
  }

  @SafeVarargs
  private static void noWildcard(PolicyRule rule, Collection<String>... fields) {
    for (Collection<String> field : fields) {
      if (field.stream().anyMatch(v -> v.contains("*"))) {
        throw new AssertionError("wildcard in rule " + rule);
      }
    }
  }

  /**
   * Whether the grants allow a request. A grant restricted to names never allows a request that
   * names no object (create, list, watch): Kubernetes' RBAC authorizer does the same.
   */
  static boolean allows(Set<Grant> grants, String namespace, String apiGroup, String resource,
      String name, String verb) {
    return grants.stream().anyMatch(g -> g.verb().equals(verb)
        && g.apiGroup().equals(apiGroup)
        && g.resource().equals(resource)
        && (g.namespace() == null || g.namespace().equals(namespace))
        && (g.resourceName().isEmpty() || (name != null && g.resourceName().equals(name))));
  }
}
