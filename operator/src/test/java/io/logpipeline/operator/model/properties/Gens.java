package io.logpipeline.operator.model.properties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

/**
 * Small QuickTheories combinators the property tests share: picks, weighted choices, optional and
 * nullable values, strings over an alphabet, lists with distinct elements and maps. Every one is
 * built from {@link Gen}'s and {@link Generate}'s own primitives, so values shrink as
 * QuickTheories shrinks them (by simplifying the random draws behind them).
 *
 * <p>The properties run with QuickTheories' default random seed: a failing one reports the seed
 * ("Seed was ..."), and {@code -DQT_SEED=<seed>} replays that run.
 */
final class Gens {

  private Gens() {}

  /** One of {@code values}, shrinking towards the first. */
  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    return Generate.pick(List.of(values));
  }

  /** One of {@code values}, shrinking towards the first. */
  static <T> Gen<T> of(List<T> values) {
    return Generate.pick(List.copyOf(values));
  }

  /** Always {@code value} (which must be immutable: it is handed out on every draw). */
  static <T> Gen<T> just(T value) {
    return Generate.constant(value);
  }

  /** A choice weighted by the first of each pair. */
  static <T> Pair<Integer, Gen<T>> weighted(int weight, Gen<T> gen) {
    return Pair.of(weight, gen);
  }

  /** One of the generators, each drawn with its weight; shrinks towards the first. */
  @SafeVarargs
  static <T> Gen<T> frequency(Pair<Integer, Gen<T>>... choices) {
    return Generate.frequency(List.of(choices));
  }

  /** Present with probability {@code presence}, else empty. */
  static <T> Gen<Optional<T>> optional(Gen<T> gen, double presence) {
    // toOptionals draws 0..100 and is empty below the given percentage.
    return gen.toOptionals((int) Math.round((1 - presence) * 101));
  }

  /** Present 19 times in 20. */
  static <T> Gen<Optional<T>> optional(Gen<T> gen) {
    return optional(gen, 0.95);
  }

  /** null with probability {@code nullProbability}, else a value of {@code gen}. */
  static <T> Gen<T> orNull(Gen<T> gen, double nullProbability) {
    return optional(gen, 1 - nullProbability).map(o -> o.orElse(null));
  }

  /** Strings of min..max characters from {@code chars}, the length uniformly distributed. */
  static Gen<String> strings(String chars, int min, int max) {
    List<Character> alphabet = chars.chars().mapToObj(c -> (char) c).toList();
    return lists(Generate.pick(alphabet), min, max)
        .map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()));
  }

  /** A character of {@code chars}. */
  static Gen<Character> chars(String chars) {
    return Generate.pick(chars.chars().mapToObj(c -> (char) c).toList());
  }

  /** Lists of min..max elements, the size uniformly distributed. */
  static <T> Gen<List<T>> lists(Gen<T> gen, int min, int max) {
    return SourceDSL.lists().of(gen).ofSizeBetween(min, max);
  }

  /** Lists of at most {@code max} distinct elements (duplicates drawn are dropped). */
  static <T> Gen<List<T>> distinctLists(Gen<T> gen, int max) {
    return distinctLists(gen, max, Function.identity());
  }

  /** Lists of at most {@code max} elements whose keys differ (later duplicates are dropped). */
  static <T, K> Gen<List<T>> distinctLists(Gen<T> gen, int max, Function<T, K> key) {
    return lists(gen, 0, max).map(list -> {
      Set<K> seen = new LinkedHashSet<>();
      List<T> out = new ArrayList<>();
      for (T t : list) {
        if (seen.add(key.apply(t))) {
          out.add(t);
        }
      }
      return out;
    });
  }

  /** Sets of at most {@code max} elements, in the order drawn. */
  static <T> Gen<Set<T>> sets(Gen<T> gen, int max) {
    return lists(gen, 0, max).map(list -> new LinkedHashSet<>(list));
  }

  /** Maps of at most {@code max} entries (a key drawn twice keeps its last value). */
  static <K, V> Gen<Map<K, V>> maps(Gen<K> keys, Gen<V> values, int max) {
    return lists(keys.zip(values, Pair::of), 0, max).map(pairs -> {
      Map<K, V> map = new LinkedHashMap<>();
      pairs.forEach(p -> map.put(p._1, p._2));
      return map;
    });
  }
}
