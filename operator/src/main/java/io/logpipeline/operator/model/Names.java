package io.logpipeline.operator.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Generated names and label values that stay legal for every legal LogPipeline name: a
 * LogPipeline may be named with up to 253 characters, while label values, Service names and the
 * names a DaemonSet derives for its revisions must fit in 63.
 */
public final class Names {

  /** Room for a DaemonSet's controller-revision-hash label ({@code <name>-<10 chars>} <= 63). */
  public static final int WORKLOAD_NAME_MAX = 52;
  public static final int LABEL_VALUE_MAX = 63;
  public static final int SUBDOMAIN_MAX = 253;

  private Names() {}

  /**
   * {@code base-suffix} as a DNS-1035 label of at most {@code max} characters: a name that would
   * be too long keeps a readable prefix and ends in a hash of the whole, so two long names never
   * collide; a name that starts with a digit gets the prefix {@code lp-} (Services need a letter).
   */
  public static String child(String base, String suffix, int max) {
    String full = (Character.isLetter(base.charAt(0)) ? "" : "lp-") + base + "-" + suffix;
    if (full.length() <= max) {
      return full;
    }
    String hash = hash(full, 8);
    String tail = "-" + hash + "-" + suffix;
    String head = full.substring(0, max - tail.length());
    return trimDashes(head) + tail;
  }

  /** A label value for {@code value}: itself when it fits, else a prefix and a hash. */
  public static String labelValue(String value) {
    if (value.length() <= LABEL_VALUE_MAX) {
      return value;
    }
    String hash = hash(value, 8);
    return trimDashes(value.substring(0, LABEL_VALUE_MAX - hash.length() - 1)) + "-" + hash;
  }

  /** First {@code hexChars} of the SHA-256 of the text: stable across JVMs and releases. */
  public static String hash(String text, int hexChars) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, hexChars);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static String trimDashes(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '-' || s.charAt(end - 1) == '.')) {
      end--;
    }
    return s.substring(0, end);
  }
}
