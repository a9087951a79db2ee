package io.logpipeline.operator.model;

/**
 * The names the canary travels under, shared by the operator that sends and reads it and the
 * Logstash pipeline that routes it.
 *
 * <p>Canaries land in one index per search cluster, {@value #INDEX}, one document per pipeline
 * whose id is the LogPipeline's uid: each canary overwrites the previous one, so the index holds
 * as many documents as there are pipelines (a few hundred bytes each), never grows with time and
 * needs no lifecycle policy. It is apart from every pipeline's index patterns, so canaries never
 * show in the user's data or dashboards; a uid is unique across Kubernetes clusters, so two
 * operators writing to one search cluster do not overwrite each other's canaries.
 */
public final class CanaryModel {

  /** The record header that marks a canary; its value is the pipeline's uid. */
  public static final String HEADER = "logpipeline-canary";
  /** The canaries' index. */
  public static final String INDEX = "logpipeline-canary";
  /** The canary's field with the time the operator sent it, in epoch milliseconds. */
  public static final String SENT = "canary_sent";

  private CanaryModel() {}
}
