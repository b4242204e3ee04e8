package io.tidemark.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP forwarder on a loopback port in front of a local server that breaks connections on demand: each connection
 * is reset once it has carried more than a set number of bytes in one direction, as a load balancer or a flaky
 * network does to a long transfer. It also keeps the first {@value #RECORDED} bytes of what clients sent, so a test
 * sees the headers a request was signed with. Only ever forwards to the loopback address given.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile long responseLimit = Long.MAX_VALUE;
    private volatile long requestLimit = Long.MAX_VALUE;
    private static final int RECORDED = 1 << 20;
    private final StringBuffer sent = new StringBuffer();

    CuttingProxy(URI target) throws IOException {
        if (!InetAddress.getByName(target.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("the proxy forwards to loopback addresses only, not " + target);
        }
        this.targetPort = target.getPort();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "cutting-proxy-" + server.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** every connection is reset after carrying {@code bytes} bytes of responses; {@link Long#MAX_VALUE}: never */
    void cutResponsesAfter(long bytes) {
        responseLimit = bytes;
    }

    /** every connection is reset after carrying {@code bytes} bytes of requests; {@link Long#MAX_VALUE}: never */
    void cutRequestsAfter(long bytes) {
        requestLimit = bytes;
    }

    int connections() {
        return connections.get();
    }

    int cuts() {
        return cuts.get();
    }

    /** the start of what clients sent through the proxy, as ISO-8859-1 text: request lines and headers */
    String sent() {
        return sent.toString();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                connections.incrementAndGet();
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // closed, or the target is down: the client sees its connection fail
            }
        }
    }

    private void pump(Socket from, Socket to, boolean request) {
        Thread t = new Thread(() -> {
            AtomicLong carried = new AtomicLong();
            byte[] buffer = new byte[16 << 10];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long limit = request ? requestLimit : responseLimit;
                    if (carried.get() + n > limit) {
                        int allowed = (int) Math.max(0, limit - carried.get());
                        out.write(buffer, 0, allowed);
                        out.flush();
                        cuts.incrementAndGet();
                        reset(from);
                        reset(to);
                        return;
                    }
                    out.write(buffer, 0, n);
                    carried.addAndGet(n);
                    if (request && sent.length() < RECORDED) {
                        sent.append(new String(buffer, 0, Math.min(n, RECORDED - sent.length()),
                                StandardCharsets.ISO_8859_1));
                    }
                }
            } catch (IOException e) {
                // one side went away
            } finally {
                close(from);
                close(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // already closed
        }
        close(s);
    }

    private void close(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            close(s);
        }
    }
}
