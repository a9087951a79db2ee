package io.logpipeline.operator.model;

import io.logpipeline.operator.api.HealthSpec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * spec.health, defaulted and parsed: how old the newest indexed event may be, and whether and how
 * often the canary is sent.
 *
 * @param canaryInterval how often a canary is sent, and how long it may take to be searchable
 */
public record HealthSettings(Duration maxEventAge, boolean canaryEnabled, Duration canaryInterval) {

  private static final Pattern DURATION = Pattern.compile("^([1-9][0-9]{0,8})(s|m|h|d)$");

  public static HealthSettings of(Pipeline p) {
    return of(p.spec().getHealth());
  }

  /** The settings of a spec that passed {@link #problems}; defaults for what is absent. */
  static HealthSettings of(HealthSpec health) {
    HealthSpec h = Objects.requireNonNullElseGet(health, HealthSpec::new);
    HealthSpec.CanarySpec c = Objects.requireNonNullElseGet(h.getCanary(), HealthSpec.CanarySpec::new);
    return new HealthSettings(duration(Objects.requireNonNullElse(h.getMaxEventAge(), "10m")),
        c.isEnabled(), duration(Objects.requireNonNullElse(c.getInterval(), "5m")));
  }

  static List<SpecProblem> problems(HealthSpec health) {
    List<SpecProblem> problems = new ArrayList<>();
    if (health == null) {
      return problems;
    }
    check(health.getMaxEventAge(), "spec.health.maxEventAge", problems);
    if (health.getCanary() != null) {
      check(health.getCanary().getInterval(), "spec.health.canary.interval", problems);
    }
    return problems;
  }

  private static void check(String value, String field, List<SpecProblem> problems) {
    if (value != null && !DURATION.matcher(value).matches()) {
      problems.add(new SpecProblem(field, "'" + value + "' is not a duration: use a number of at most"
          + " 9 digits and a unit (s, m, h, d), e.g. 10m"));
    }
  }

  static Duration duration(String value) {
    Matcher m = DURATION.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a validated duration: " + value);
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
