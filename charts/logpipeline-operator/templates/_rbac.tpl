{{/*
The operator's permissions, rule by rule: exactly the verbs on exactly the resources the
operator's code calls, no wildcards. The list the chart's tests hold these rules to, with the
reason for each, is operator/src/test/resources/chart/operator-permissions.yaml; change both
together.

Verbs follow how the operator writes: dependents are created with POST (create) and put back
with PUT (update), not server-side apply; the LogPipeline's finalizer is written with JSON patch
(patch), its status replaced with PUT (update). Informers need list and watch; get is granted only where the code reads
one object by name.
*/}}

{{/*
Rules on objects in the namespaces whose LogPipelines the operator reconciles. With
watchNamespaces empty they go into the ClusterRole; otherwise into a Role in each of those
namespaces.
*/}}
{{- define "logpipeline-operator.rules.namespaced" -}}
# The primary resource: listed and watched by the controller; its finalizer is added and removed
# with a JSON patch, and on a conflict JOSDK reads the LogPipeline back by name before retrying.
- apiGroups: ["logpipeline.io"]
  resources: ["logpipelines"]
  verbs: ["get", "list", "watch", "patch"]
# status (phase, conditions, counts) is replaced whole through the status subresource, with
# optimistic locking.
- apiGroups: ["logpipeline.io"]
  resources: ["logpipelines/status"]
  verbs: ["update"]
# The children's owner references are controller references with blockOwnerDeletion, which an
# API server with the OwnerReferencesPermissionEnforcement admission plugin allows only to who
# may update the owner's finalizers. No request goes to this subresource.
- apiGroups: ["logpipeline.io"]
  resources: ["logpipelines/finalizers"]
  verbs: ["update"]
# Filebeat's and Logstash's ConfigMaps, Filebeat's ServiceAccount, Logstash's monitoring Service,
# the Filebeat DaemonSet, the Logstash StatefulSet and PodDisruptionBudget: watched
# (label-selected informers), created, and replaced when they drift (the StatefulSet is also
# scaled to 0 with a PUT before its volumes are drained on deletion). They carry an owner
# reference to their LogPipeline and Kubernetes' garbage collector removes them with it; a
# pipeline's own Filebeat objects are deleted by the operator when it moves to a ShipperClass's
# shared Filebeat.
- apiGroups: [""]
  resources: ["configmaps", "serviceaccounts"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["services"]
  verbs: ["list", "watch", "create", "update"]
- apiGroups: ["apps"]
  resources: ["daemonsets"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["list", "watch", "create", "update"]
- apiGroups: ["policy"]
  resources: ["poddisruptionbudgets"]
  verbs: ["list", "watch", "create", "update"]
# The Logstash Deployment of earlier versions: watched, deleted once the StatefulSet replacing
# it is ready.
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["list", "watch", "delete"]
# Logstash's queue volumes, which the StatefulSet controller creates and nothing owns: watched,
# and deleted once a drain Job has emptied them. The drain Jobs: created, watched, deleted.
- apiGroups: [""]
  resources: ["persistentvolumeclaims"]
  verbs: ["list", "watch", "delete"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["list", "watch", "create", "delete"]
# The Secrets a LogPipeline names (Elasticsearch and external Kafka credentials, CAs), read by
# name to check them and to reach Elasticsearch and Kafka; and the pipeline's copies of its Kafka
# credentials (<name>-kafka-shipper, <name>-kafka-indexer), written where its pods run and
# deleted when Kafka security is turned off. Never listed or watched.
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "update", "delete"]
# Warning Events on LogPipelines (core/v1, created once each, never patched).
- apiGroups: [""]
  resources: ["events"]
  verbs: ["create"]
{{- end }}

{{/*
Rules that are cluster-wide whatever watchNamespaces says: cluster-scoped objects, and objects
that live in the Kafka cluster's namespace, which may be any namespace.
*/}}
{{- define "logpipeline-operator.rules.cluster" -}}
# ShipperClasses (cluster-scoped): listed and watched by their controller and by the LogPipeline
# controller; their status, the admission record, replaced whole.
- apiGroups: ["logpipeline.io"]
  resources: ["shipperclasses"]
  verbs: ["list", "watch"]
- apiGroups: ["logpipeline.io"]
  resources: ["shipperclasses/status"]
  verbs: ["update"]
# Each pipeline's Filebeat ClusterRole and ClusterRoleBinding (cluster-scoped, so no owner
# reference can reach them): watched, created, put back, and deleted by the finalizer; and each
# shared Filebeat's, owned by its ShipperClass, deleted when its group has no pipeline left.
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterroles", "clusterrolebindings"]
  verbs: ["list", "watch", "create", "update", "delete"]
# What a Filebeat ClusterRole grants (add_kubernetes_metadata): Kubernetes lets the operator
# create or bind a role only with permissions it holds, cluster-wide. The operator itself also
# watches nodes (list, watch), to name the nodes a taint keeps Filebeat off in ShipperReady.
- apiGroups: [""]
  resources: ["pods", "namespaces", "nodes"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["apps"]
  resources: ["replicasets"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["batch"]
  resources: ["jobs"]
  verbs: ["get", "list", "watch"]
# Each pipeline's Strimzi KafkaTopic, in the Kafka cluster's namespace (spec.kafka.namespace, any
# namespace): the informer watches all namespaces; deleted by the finalizer under
# deletionPolicy: Delete.
- apiGroups: ["kafka.strimzi.io"]
  resources: ["kafkatopics"]
  verbs: ["list", "watch", "create", "update", "delete"]
# Each pipeline's two Strimzi KafkaUsers (authentication with a Strimzi cluster), and each
# shared Filebeat group's one (owned by its ShipperClass, deleted when the group stops), in the
# Kafka cluster's namespace: watched in all namespaces, created, put back, deleted by the finalizer or
# when authentication is turned off.
- apiGroups: ["kafka.strimzi.io"]
  resources: ["kafkausers"]
  verbs: ["list", "watch", "create", "update", "delete"]
# The Strimzi Kafka a pipeline names must exist before anything is written: read by name.
- apiGroups: ["kafka.strimzi.io"]
  resources: ["kafkas"]
  verbs: ["get"]
# Its brokers (the KafkaNodePools with the broker role), listed by the cluster's label, so that a
# replication factor above them is refused before the topic is stuck.
- apiGroups: ["kafka.strimzi.io"]
  resources: ["kafkanodepools"]
  verbs: ["list"]
# Which Kafka API version Strimzi serves: only Strimzi's Kafka CRD, read by name.
- apiGroups: ["apiextensions.k8s.io"]
  resources: ["customresourcedefinitions"]
  resourceNames: ["kafkas.kafka.strimzi.io"]
  verbs: ["get"]
{{- end }}

{{/*
In the Strimzi Kafka clusters' namespaces (kafkaNamespaces): the Secrets Strimzi writes there,
each KafkaUser's credentials and the cluster CA, read by name to copy them where the pods run.
Watching every namespace, the namespaced rules above already allow it.
*/}}
{{- define "logpipeline-operator.rules.kafkaNamespace" -}}
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
{{- end }}

{{/*
Leader election, in the release's namespace only. A create request carries no name RBAC can
match, so create is granted on leases and the rest only on the operator's Lease. fabric8 reads
the Lease and acquires and renews it with a JSON merge patch (get, patch); the operator hands it
over on shutdown with a PUT (update), and JOSDK checks before it starts that it may get, create
and update it.
*/}}
{{- define "logpipeline-operator.rules.leaderElection" -}}
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["create"]
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  resourceNames: [{{ include "logpipeline-operator.leaseName" . | quote }}]
  verbs: ["get", "update", "patch"]
{{- end }}

{{/*
Rules in the operator's own namespace (the release's), where the shared Filebeats of the
ShipperClasses run: each group's ConfigMaps (filebeat.yml and the input files), ServiceAccount
and DaemonSet, watched there only, created, put back, and deleted when the group has no pipeline
left; and each group's copy of its Kafka credentials (<group>-kafka), read and written by name,
deleted by name when the group stops, never listed or watched.
*/}}
{{- define "logpipeline-operator.rules.operatorNamespace" -}}
- apiGroups: [""]
  resources: ["configmaps", "serviceaccounts"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: ["apps"]
  resources: ["daemonsets"]
  verbs: ["list", "watch", "create", "update", "delete"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get", "create", "update", "delete"]
{{- end }}
