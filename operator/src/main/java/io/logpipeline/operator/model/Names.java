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

  /** How every shortened or cleaned name ends: '-' and 8 hex digits of a hash (before a suffix). */
  private static final java.util.regex.Pattern HASHED = java.util.regex.Pattern.compile("-[0-9a-f]{8}$");

  private Names() {}

  /**
   * Whether a name given by a user looks like a name this class shortened or cleaned. Such a name
   * is hashed too, rather than kept, so that it can never equal another name's hashed form
   * ({@code a-a-a8f24725} is {@code a.a}'s cleaned name).
   */
  static boolean looksHashed(String name) {
    return HASHED.matcher(name).find();
  }

  /**
   * {@code base-suffix} as a DNS-1035 label of at most {@code max} characters, for every legal
   * LogPipeline name (a DNS-1123 subdomain: up to 253 characters, dots allowed). When the base
   * must change to fit (dots replaced, a leading digit prefixed with {@code lp-}, cut to length),
   * or looks like such a changed name itself, a hash of the original base is appended, so two
   * different names never give one child name.
   */
  public static String child(String base, String suffix, int max) {
    String clean = base.replace('.', '-');
    boolean changed = !clean.equals(base) || looksHashed(clean);
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
   * hash of the whole, so that two long values sharing a prefix stay different. A value that
   * already ends like a hashed one is hashed again (see {@link #looksHashed}).
   */
  public static String shorten(String value, int max) {
    if (value.length() <= max && !looksHashed(value)) {
      return value;
    }
    String hash = hash(value, 8);
    int head = Math.min(value.length(), max - hash.length() - 1);
    return trimDashes(value.substring(0, head)) + "-" + hash;
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
