package io.logpipeline.operator.api;

/** One word for the pipeline's state, shown by {@code kubectl get lp}. */
public enum Phase {
  /** Seen, nothing provisioned yet. */
  Pending,
  /** Objects provisioned, some stage not ready yet. */
  Progressing,
  /** Every stage ready. */
  Ready,
  /** Was ready or running; a stage is failing now. */
  Degraded,
  /** The spec cannot be provisioned; nothing was written. */
  Failed,
  /** spec.paused is true: nothing is changed. */
  Paused,
  /** Being deleted; external objects are being removed. */
  Deleting
}
