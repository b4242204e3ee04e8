package io.tidemark.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A server on a free loopback port that accepts TCP connections and never says a word: a MySQL client waits for the
 * greeting, an HTTP client for the answer, until its own timeout gives up. Stands for a stuck host, a half-open load
 * balancer or a firewall that drops replies. It notes when each connection came (one per login attempt) and sees
 * when a client hangs up. {@link #closedPort()} gives the opposite: a port where nothing listens.
 *
 * <pre>{@code
 * try (SilentServer silent = SilentServer.start()) {
 *     // point the client at 127.0.0.1:silent.port(), expect its timeout, then
 *     assertThat(silent.accepted()).isPositive();
 * }
 * }</pre>
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Instant> acceptedAt = Collections.synchronizedList(new ArrayList<>());
    /** connections whose client has not hung up */
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();
    /** whether each connection is reset at once instead of held */
    private final boolean resets;

    private SilentServer(ServerSocket server, boolean resets) {
        this.server = server;
        this.resets = resets;
    }

    /** listens on a free port of the loopback address, accepting on a daemon thread until {@link #close()} */
    public static SilentServer start() throws IOException {
        return start(false);
    }

    /**
     * Like {@link #start()}, but each connection is reset ({@code RST}) as soon as it is accepted, before any greeting:
     * the client reads "Connection reset", as when a server, a proxy or a TLS terminator drops a login abruptly.
     */
    public static SilentServer startResetting() throws IOException {
        return start(true);
    }

    private static SilentServer start(boolean resets) throws IOException {
        SilentServer s = new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), resets);
        Thread.ofPlatform().daemon().name("silent-server-" + s.port()).start(s::acceptForever);
        return s;
    }

    /**
     * A loopback port that was free a moment ago and nothing listens on: a connection to it is refused at once
     * ({@code ECONNREFUSED}), as with a server that is down — unlike a {@link SilentServer}, which lets the client in
     * and leaves it waiting.
     */
    public static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                acceptedAt.add(Instant.now());
                if (resets) {
                    client.setSoLinger(true, 0); // closing with linger 0 sends RST instead of FIN
                    client.close();
                    continue;
                }
                held.add(client);
                Thread.ofPlatform().daemon().name("silent-server-conn").start(() -> listenUntilHungUp(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** a client that gives up closes its socket: the read then ends (a MySQL client never sends before the greeting) */
    private void listenUntilHungUp(Socket client) {
        try (client; InputStream in = client.getInputStream()) {
            while (in.read() >= 0) {
                // whatever the client sends goes unanswered
            }
        } catch (IOException e) {
            // reset by the client, or closed by close(): hung up either way
        } finally {
            held.remove(client);
        }
    }

    /** the port it listens on, at {@code 127.0.0.1} */
    public int port() {
        return server.getLocalPort();
    }

    /** connections accepted so far: one per login attempt */
    public int accepted() {
        return acceptedAt.size();
    }

    /** when each connection so far was accepted, in order: to see whether clients came at once or one by one */
    public List<Instant> acceptedAt() {
        synchronized (acceptedAt) {
            return List.copyOf(acceptedAt);
        }
    }

    /** connections whose client still waits for an answer */
    public int waiting() {
        return held.size();
    }

    /** stops listening and closes every connection still open */
    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
