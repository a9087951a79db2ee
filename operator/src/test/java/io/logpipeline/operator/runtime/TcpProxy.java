package io.logpipeline.operator.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, that can be cut (connections closed, the port
 * refusing) and restored on the same port: a server that goes away and comes back.
 */
final class TcpProxy implements AutoCloseable {

  private final InetSocketAddress target;
  private final int port;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "tcp-proxy");
    t.setDaemon(true);
    return t;
  });
  private volatile ServerSocket listening;

  private TcpProxy(InetSocketAddress target, ServerSocket listening) {
    this.target = target;
    this.listening = listening;
    this.port = listening.getLocalPort();
    accept(listening);
  }

  static TcpProxy to(URI server) throws IOException {
    return new TcpProxy(new InetSocketAddress(server.getHost(), server.getPort()), bind(0));
  }

  private static ServerSocket bind(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
    return socket;
  }

  int port() {
    return port;
  }

  /** Closes every connection and the port: connections are refused from now on. */
  void cut() throws IOException {
    listening.close();
    for (Socket socket : open) {
      socket.close();
    }
    open.clear();
  }

  /** Listens on the same port again. */
  void restore() throws IOException {
    listening = bind(port);
    accept(listening);
  }

  private void accept(ServerSocket server) {
    threads.execute(() -> {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          Socket upstream = new Socket(target.getAddress(), target.getPort());
          open.add(client);
          open.add(upstream);
          threads.execute(() -> pump(client, upstream));
          threads.execute(() -> pump(upstream, client));
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  private void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // one side closed
    } finally {
      open.remove(from);
      open.remove(to);
      try {
        from.close();
        to.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public void close() throws IOException {
    cut();
    threads.shutdownNow();
  }
}
