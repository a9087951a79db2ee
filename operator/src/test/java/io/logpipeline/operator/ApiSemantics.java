package io.logpipeline.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.CustomResourceAware;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * What a real API server does with the status subresource and the fabric8 mock server in CRUD
 * mode does only for the kinds it is told about: a write of the main resource keeps the stored
 * status (the one sent is dropped, also on create), a write of {@code /status} keeps the stored
 * spec and metadata and leaves the generation alone. Without it the mock keeps a status written
 * with a plain update, and wipes a Deployment's status when its spec is updated.
 */
public final class ApiSemantics {

  /** The LogPipeline CRD as the build generates it (crds/, copied to the test class path). */
  public static final String LOGPIPELINE_CRD = "/crds/logpipelines.logpipeline.io-v1.yml";
  public static final String SHIPPER_CLASS_CRD = "/crds/shipperclasses.logpipeline.io-v1.yml";

  /** Built-in kinds with a status subresource that the operator writes or reads the status of. */
  public static final List<CustomResourceDefinitionContext> BUILT_IN_STATUS = List.of(
      builtIn("apps", "v1", "DaemonSet", "daemonsets"),
      builtIn("apps", "v1", "Deployment", "deployments"),
      builtIn("apps", "v1", "StatefulSet", "statefulsets"),
      builtIn("apps", "v1", "ReplicaSet", "replicasets"),
      builtIn("batch", "v1", "Job", "jobs"),
      builtIn("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets"),
      builtIn("", "v1", "Service", "services"),
      builtIn("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims"),
      builtIn("", "v1", "Pod", "pods"));

  private ApiSemantics() {}

  /**
   * The status subresource of the built-in kinds on {@code server} (a mock server, or the
   * dispatcher it was built with), and the LogPipeline CRD created through {@code client}, as a
   * cluster with the operator installed has it.
   */
  public static void apply(CustomResourceAware server, KubernetesClient client) {
    statusSubresources(server);
    installLogPipelineCrd(client);
  }

  /** Only the built-in kinds' status subresource (for a server whose CRDs a test creates itself). */
  public static void statusSubresources(CustomResourceAware server) {
    BUILT_IN_STATUS.forEach(server::expectCustomResource);
  }

  /**
   * Creates the generated LogPipeline and ShipperClass CRDs, whose {@code subresources.status}
   * the mock then honours.
   */
  public static void installLogPipelineCrd(KubernetesClient client) {
    client.apiextensions().v1().customResourceDefinitions().resource(logPipelineCrd()).create();
    client.apiextensions().v1().customResourceDefinitions().resource(crd(SHIPPER_CLASS_CRD)).create();
  }

  public static CustomResourceDefinition logPipelineCrd() {
    return crd(LOGPIPELINE_CRD);
  }

  private static CustomResourceDefinition crd(String resource) {
    try (InputStream in = ApiSemantics.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path: build the operator module");
      }
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CustomResourceDefinitionContext builtIn(String group, String version, String kind, String plural) {
    return new CustomResourceDefinitionContext.Builder()
        .withGroup(group).withVersion(version).withKind(kind).withPlural(plural)
        .withScope("Namespaced").withStatusSubresource(true)
        .build();
  }
}
