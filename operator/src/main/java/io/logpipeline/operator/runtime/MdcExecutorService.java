package io.logpipeline.operator.runtime;

import org.slf4j.MDC;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An executor that runs each task with the logging context (SLF4J MDC) of the thread that
 * submitted it. JOSDK puts the reconciled resource's namespace and name in the MDC of the
 * reconciler's thread only; the workflow runs dependents on other threads, whose log lines would
 * otherwise not say which LogPipeline they are about.
 */
public final class MdcExecutorService implements ExecutorService {

  private final ExecutorService delegate;

  public MdcExecutorService(ExecutorService delegate) {
    this.delegate = delegate;
  }

  static Runnable withContext(Runnable task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      set(context);
      try {
        task.run();
      } finally {
        set(previous);
      }
    };
  }

  static <T> Callable<T> withContext(Callable<T> task) {
    Map<String, String> context = MDC.getCopyOfContextMap();
    return () -> {
      Map<String, String> previous = MDC.getCopyOfContextMap();
      set(context);
      try {
        return task.call();
      } finally {
        set(previous);
      }
    };
  }

  private static void set(Map<String, String> context) {
    if (context == null) {
      MDC.clear();
    } else {
      MDC.setContextMap(context);
    }
  }

  private static <T> List<Callable<T>> withContext(Collection<? extends Callable<T>> tasks) {
    return tasks.stream().map(MdcExecutorService::withContext).toList();
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(withContext(command));
  }

  @Override
  public Future<?> submit(Runnable task) {
    return delegate.submit(withContext(task));
  }

  @Override
  public <T> Future<T> submit(Runnable task, T result) {
    return delegate.submit(withContext(task), result);
  }

  @Override
  public <T> Future<T> submit(Callable<T> task) {
    return delegate.submit(withContext(task));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
    return delegate.invokeAll(withContext(tasks));
  }

  @Override
  public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException {
    return delegate.invokeAll(withContext(tasks), timeout, unit);
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
      throws InterruptedException, ExecutionException {
    return delegate.invokeAny(withContext(tasks));
  }

  @Override
  public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return delegate.invokeAny(withContext(tasks), timeout, unit);
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public List<Runnable> shutdownNow() {
    return delegate.shutdownNow();
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }
}
