package io.tidemark.snapshot.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A "source" that accepts TCP connections and never says a word: a MySQL client waits for the server's greeting
 * until its own timeout gives up. Stands for a stuck host, a half-open load balancer or a firewall that drops replies.
 * It counts the connections (one per login attempt) and sees when a client hangs up.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    /** connections whose client has not hung up */
    private final Set<Socket> held = ConcurrentHashMap.newKeySet();

    private SilentServer(ServerSocket server) {
        this.server = server;
    }

    public static SilentServer start() throws IOException {
        SilentServer s = new SilentServer(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        Thread.ofPlatform().daemon().name("silent-server").start(s::acceptForever);
        return s;
    }

    private void acceptForever() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                held.add(client);
                accepted.incrementAndGet();
                Thread.ofPlatform().daemon().name("silent-server-conn").start(() -> listenUntilHungUp(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** a client that gives up closes its socket: the read then ends (the client never sends before the greeting) */
    private void listenUntilHungUp(Socket client) {
        try (client; InputStream in = client.getInputStream()) {
            while (in.read() >= 0) {
                // a MySQL client says nothing before the greeting; anything else is ignored
            }
        } catch (IOException e) {
            // reset by the client, or closed by close(): hung up either way
        } finally {
            held.remove(client);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** connections accepted so far: one per login attempt */
    public int accepted() {
        return accepted.get();
    }

    /** connections whose client still waits for an answer */
    public int waiting() {
        return held.size();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : held) {
            s.close();
        }
    }
}
