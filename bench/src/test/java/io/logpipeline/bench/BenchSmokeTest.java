package io.logpipeline.bench;

import io.logpipeline.operator.elastic.OpenSearchNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmark at N=10 and two create/delete cycles of 10, asserting what does not depend on
 * the machine's speed: every pipeline Ready (the harness fails otherwise), no write in a quiet
 * period nor on a resync, exactly the floor's creates, nothing left and nothing made twice across
 * cycles. No timing assertion.
 */
class BenchSmokeTest {

  static final int N = 10;
  static OpenSearchNode search;
  static Harness harness;

  @BeforeAll
  static void start() {
    search = OpenSearchNode.startNew();
    // Template recheck every 1 s: the 3 s quiet period holds timer-driven no-op reconciles of
    // every pipeline. Writes are counted once the operator has written nothing for 1 s.
    harness = new Harness(search.httpUri(), Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(2),
        Duration.ofSeconds(1));
  }

  @AfterAll
  static void stop() {
    if (search != null) {
      search.close();
    }
  }

  @Test
  void operatorWritesNoMoreThanTheFloorAndNothingWhenNothingChanged() throws Exception {
    Harness.OperatorRun op = harness.operator(N, Duration.ofSeconds(3));
    Harness.FloorRun floor = harness.floor(N);
    Bench.Report.convergence(System.out, List.of(op), List.of(floor));

    assertThat(floor.failures()).isZero();
    assertThat(floor.creation().writeCount()).isEqualTo((long) N * Floor.WRITES_PER_PIPELINE);
    assertThat(floor.creation().templatePuts()).isEqualTo((long) N * Floor.TEMPLATES_PER_PIPELINE);

    // One create per object, like the floor; two template PUTs per pipeline (index, dead letters).
    assertThat(creates(op.creation().writes())).isEqualTo(creates(floor.creation().writes()));
    assertThat(op.creation().templatePuts()).isEqualTo((long) N * Floor.TEMPLATES_PER_PIPELINE);
    assertThat(op.creation().writes()).as("one finalizer patch per pipeline").containsEntry("patch logpipelines", (long) N);
    // Status writes vary with the order in which the children become ready and with the
    // machine's speed: a guard against a regression many times over, not the 10% target, which
    // the benchmark measures (docs/benchmarks.md) and a test on a loaded machine cannot hold to.
    assertThat(op.creation().writeCount()).as("operator writes at creation vs floor: %s", op.creation().writes())
        .isLessThanOrEqualTo(Math.round(floor.creation().writeCount() * 1.5));

    assertThat(op.quiet().templateGets()).as("no-op reconciles in the quiet period").isGreaterThanOrEqualTo(N);
    assertThat(op.quiet().writes()).as("writes in the quiet period: %s", op.writesAfterReady()).isEmpty();
    assertThat(op.quiet().templatePuts()).isZero();
    assertThat(op.touch().writes()).as("writes after an annotation on every pipeline: %s", op.writesAfterReady()).isEmpty();
    assertThat(op.restart().templateGets()).as("reconciles after restart").isGreaterThanOrEqualTo(N);
    assertThat(op.restart().writes()).as("writes after a restart reconciled every pipeline: %s",
        op.writesAfterReady()).isEmpty();
    assertThat(op.restart().templatePuts()).isZero();
  }

  @Test
  void createDeleteCyclesLeaveNothingBehind() throws Exception {
    List<Harness.Cycle> cycles = harness.cycles(N, N);
    Bench.Report.cycles(System.out, cycles);
    for (Harness.Cycle c : cycles) {
      assertThat(c.leftovers()).as("cycle %d", c.index()).allSatisfy((kind, count) -> assertThat(count).isZero());
      // 10 objects, and on deletion a drain Job for each of the 2 replicas' queue volumes.
      assertThat(creates(c.phase().writes())).as("cycle %d: objects created: %s", c.index(), c.phase().writes())
          .isEqualTo(12L * N);
      assertThat(c.phase().templatePuts()).isEqualTo(2L * N);
      assertThat(c.phase().templateDeletes()).isEqualTo(2L * N);
    }
  }

  /** Creates of provisioned objects (Events aside). */
  static long creates(Map<String, Long> writes) {
    return writes.entrySet().stream().filter(e -> e.getKey().startsWith("create ") && !e.getKey().endsWith(" events"))
        .mapToLong(Map.Entry::getValue).sum();
  }
}
