package io.logpipeline.operator.model;

import java.util.List;

/**
 * Every name a pipeline uses in the search cluster, in one place: the index (or data stream), the
 * index template's patterns, what Logstash writes to, the template and the lifecycle policy.
 *
 * <p>Daily indices are {@code <index>_YYYY.MM.DD}, matched by {@code <index>_2*}. The '_' is what
 * keeps two pipelines apart: no Kubernetes name has one, so no default index ({@code
 * logs-<namespace>.<name>}) continues another one with '_'. With '-' the daily pattern of pipeline
 * {@code app} ({@code logs-ns.app-2*}) also matched the indices of pipeline {@code app-2x}, and the
 * cluster refuses a second overlapping template of equal priority. A name derived from the index
 * for another purpose must use {@link #derived(String)} for the same reason.
 *
 * <p>There is no write alias and no {@code <index>-000001}: rollover is done by data streams,
 * which Elasticsearch 7.9+ and OpenSearch 1+ roll over natively; daily indices roll over by date.
 *
 * @param index the index name (daily indices) or the data stream's name
 * @param dataStream true when the pipeline writes a data stream
 */
public record IndexNames(String index, boolean dataStream) {

  /** Between the index and the date of a daily index. */
  public static final String DAILY_SEPARATOR = "_";
  /** Logstash's sprintf date of a daily index, from the event's @timestamp (UTC). */
  static final String DAILY_DATE = "%{+YYYY.MM.dd}";

  /** The index template's name, also the lifecycle policy's. */
  public String templateName() {
    return index;
  }

  /** The ILM or ISM policy's name. */
  public String policyName() {
    return index;
  }

  /**
   * The template's index patterns (and the ISM policy's {@code ism_template} patterns): the data
   * stream's exact name, or the daily indices. "_2" rather than "_": a name derived with {@link
   * #derived(String)} never starts with a digit, so the pipeline's own other indices stay apart too.
   */
  public List<String> patterns() {
    return List.of(dataStream ? index : index + DAILY_SEPARATOR + "2*");
  }

  /** What Logstash's output writes to: the data stream, or the day's index. */
  public String writeTarget() {
    return dataStream ? index : index + DAILY_SEPARATOR + DAILY_DATE;
  }

  /**
   * Another index of the pipeline, e.g. {@code derived("deadletter")}: {@code <index>_<purpose>},
   * which no other pipeline's patterns match (see the class comment).
   *
   * @param purpose lowercase letters, not starting with a digit
   */
  public String derived(String purpose) {
    if (purpose.isEmpty() || !Character.isLetter(purpose.charAt(0))) {
      throw new IllegalArgumentException("a derived index name starts with a letter: " + purpose);
    }
    return index + DAILY_SEPARATOR + purpose;
  }
}
