package io.logpipeline.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A small HTTP server (the JDK's) answering GET on a few fixed paths: probes and metrics. */
final class HttpEndpoint implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
  private static final AtomicInteger SERVERS = new AtomicInteger();

  /** What a path answers. */
  record Response(int status, String contentType, byte[] body) {
    static Response text(int status, String text) {
      return new Response(status, "text/plain; charset=utf-8",
          (text + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final String bindAddress;

  private HttpEndpoint(HttpServer server, ExecutorService executor, String bindAddress) {
    this.server = server;
    this.executor = executor;
    this.bindAddress = bindAddress;
  }

  /** Binds to the address and port (0: any free port) and serves the routes until closed. */
  static HttpEndpoint start(String bindAddress, int port, Map<String, Supplier<Response>> routes)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(bindAddress, port), 0);
    int n = SERVERS.incrementAndGet();
    // Two threads: a slow scrape must not hold up a probe, and nothing here is busy.
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "http-" + n + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(exchange, routes));
    server.start();
    return new HttpEndpoint(server, executor, bindAddress);
  }

  private static void handle(HttpExchange exchange, Map<String, Supplier<Response>> routes)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      Supplier<Response> route = routes.get(exchange.getRequestURI().getPath());
      Response response;
      if (route == null) {
        response = Response.text(404, "not found; try " + String.join(", ", routes.keySet()));
      } else if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        response = Response.text(405, "method not allowed");
      } else {
        try {
          response = route.get();
        } catch (RuntimeException e) {
          log.warn("{} failed", exchange.getRequestURI().getPath(), e);
          response = Response.text(500, "error: " + e);
        }
      }
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if ("HEAD".equals(method)) {
        exchange.sendResponseHeaders(response.status(), -1);
        return;
      }
      exchange.sendResponseHeaders(response.status(), response.body().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  String address() {
    return (bindAddress.contains(":") ? "[" + bindAddress + "]" : bindAddress) + ":" + port();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
