package io.logpipeline.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every request the mock API server received, counted by client (its User-Agent), verb and
 * resource. Each client of the benchmark carries its own User-Agent, so the operator's requests
 * can be told from the simulated controllers', the floor's and the driver's.
 */
public final class RequestLog {

  /** One line of the count: who, what verb, on which resource (plural, with /status if so). */
  public record Key(String agent, String verb, String resource) implements Comparable<Key> {
    public boolean isWrite() {
      return switch (verb) {
        case "create", "update", "patch", "delete" -> true;
        default -> false;
      };
    }

    @Override
    public int compareTo(Key o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return agent + " " + verb + " " + resource;
    }
  }

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
  private final java.util.Queue<String> bodies = new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile String captureAgent;

  void record(String agent, String method, String path, java.util.function.Supplier<String> body) {
    Key key = key(agent, method, path);
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    if (agent.equals(captureAgent) && key.isWrite() && bodies.size() < 10_000) {
      bodies.add(System.currentTimeMillis() + " " + method + " " + path + " " + body.get());
    }
  }

  /** From now on keeps the bodies of {@code agent}'s writes (at most 10,000), for a look at what they change. */
  public void captureWrites(String agent) {
    captureAgent = agent;
  }

  /** The write bodies captured so far, and forgets them. */
  public List<String> drainCaptured() {
    List<String> out = new java.util.ArrayList<>();
    for (String b; (b = bodies.poll()) != null; ) {
      out.add(b);
    }
    return out;
  }

  /** The counts so far, sorted, as an immutable copy. */
  public Map<Key, Long> snapshot() {
    Map<Key, Long> copy = new TreeMap<>();
    counts.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** What {@code later} counted beyond {@code earlier}. */
  public static Map<Key, Long> since(Map<Key, Long> earlier, Map<Key, Long> later) {
    Map<Key, Long> diff = new TreeMap<>();
    later.forEach((k, v) -> {
      long d = v - earlier.getOrDefault(k, 0L);
      if (d != 0) {
        diff.put(k, d);
      }
    });
    return diff;
  }

  /** The writes (create, update, patch, delete) of one agent, by "verb resource". */
  public static Map<String, Long> writes(Map<Key, Long> counts, String agent) {
    Map<String, Long> w = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.agent().equals(agent) && k.isWrite()) {
        w.merge(k.verb() + " " + k.resource(), v, Long::sum);
      }
    });
    return w;
  }

  /** All requests of one agent, by "verb resource". */
  public static Map<String, Long> requests(Map<Key, Long> counts, String agent) {
    Map<String, Long> w = new TreeMap<>();
    counts.forEach((k, v) -> {
      if (k.agent().equals(agent)) {
        w.merge(k.verb() + " " + k.resource(), v, Long::sum);
      }
    });
    return w;
  }

  public static long total(Map<String, Long> byVerb) {
    return byVerb.values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * {@code /api/v1/namespaces/ns/configmaps/name}, {@code /apis/apps/v1/namespaces/ns/daemonsets/name/status},
   * {@code /apis/rbac.authorization.k8s.io/v1/clusterroles?labelSelector=...&watch=true}.
   */
  static Key key(String agent, String method, String path) {
    int q = path.indexOf('?');
    String query = q < 0 ? "" : path.substring(q + 1);
    String[] seg = (q < 0 ? path : path.substring(0, q)).replaceAll("^/+", "").split("/");
    int i;
    if (seg.length > 0 && seg[0].equals("api")) {
      i = 2;
    } else if (seg.length > 0 && seg[0].equals("apis")) {
      i = 3;
    } else {
      return new Key(agent, method.toLowerCase(), "/" + String.join("/", seg));
    }
    String resource;
    String name = null;
    String sub = null;
    if (seg.length > i + 2 && seg[i].equals("namespaces")) {
      resource = seg[i + 2];
      name = seg.length > i + 3 ? seg[i + 3] : null;
      sub = seg.length > i + 4 ? seg[i + 4] : null;
    } else if (seg.length > i) {
      resource = seg[i];
      name = seg.length > i + 1 ? seg[i + 1] : null;
      sub = seg.length > i + 2 ? seg[i + 2] : null;
    } else {
      resource = "(discovery)";
    }
    String verb = switch (method.toUpperCase()) {
      case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name != null ? "delete" : "deletecollection";
      default -> method.toLowerCase();
    };
    return new Key(agent, verb, sub == null ? resource : resource + "/" + sub);
  }
}
