package io.logpipeline.operator.elastic;

/** The lifecycle API a search cluster speaks: Elasticsearch's ILM or OpenSearch's ISM plugin. */
public enum LifecycleApi {
  /** Index Lifecycle Management: {@code _ilm/policy/<name>}, part of Elasticsearch's default distribution. */
  ILM,
  /** Index State Management: {@code _plugins/_ism/policies/<name>}, an OpenSearch plugin. */
  ISM
}
