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
   * {@code base-suffix} as a DNS-1035 label of at most {@code max} characters, for every legal
   * LogPipeline name (a DNS-1123 subdomain: up to 253 characters, dots allowed). When the base
   * must change to fit (dots replaced, a leading digit prefixed with {@code lp-}, cut to length),
   * a hash of the original base is appended, so two different names never give one child name.
   */
  public static String child(String base, String suffix, int max) {
    String clean = base.replace('.', '-');
    boolean changed = !clean.equals(base);
    if (!Character.isLetter(clean.charAt(0))) {
      clean = "lp-" + clean;
      changed = true;
    }
    String full = clean + "-" + suffix;
    if (!changed && full.length() <= max) {
      return full;
    }
    String tail = "-" + hash(base, 8) + "-" + suffix;
    String head = clean.length() + tail.length() > max ? clean.substring(0, max - tail.length()) : clean;
    return trimDashes(head) + tail;
  }

  /** A label value for {@code value}: itself when it fits, else a prefix and a hash. */
  public static String labelValue(String value) {
    return shorten(value, LABEL_VALUE_MAX);
  }

  /**
   * {@code value} itself when it has at most {@code max} characters, else a prefix of it and a
   * hash of the whole, so that two long values sharing a prefix stay different.
   */
  public static String shorten(String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    String hash = hash(value, 8);
    return trimDashes(value.substring(0, max - hash.length() - 1)) + "-" + hash;
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
