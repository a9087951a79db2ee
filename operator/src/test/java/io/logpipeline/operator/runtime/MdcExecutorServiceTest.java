package io.logpipeline.operator.runtime;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MdcExecutorServiceTest {

  @Test
  void tasksRunWithTheSubmittersMdcAndLeaveTheWorkerClean() throws Exception {
    MdcExecutorService executor = new MdcExecutorService(Executors.newSingleThreadExecutor());
    try {
      MDC.put("resource.namespace", "logging");
      MDC.put("resource.name", "payments");
      Callable<Map<String, String>> seen = MDC::getCopyOfContextMap;
      assertThat(executor.submit(seen).get()).containsEntry("resource.namespace", "logging")
          .containsEntry("resource.name", "payments");
      assertThat(executor.invokeAll(List.of(seen)).get(0).get()).containsEntry("resource.name", "payments");
      MDC.clear();
      Map<String, String> after = executor.submit(seen).get();
      assertThat(after == null ? Map.of() : after).isEmpty();
    } finally {
      MDC.clear();
      executor.shutdown();
      assertThat(executor.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
