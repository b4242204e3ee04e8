package io.tidemark.snapshot.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A "source" that accepts TCP connections and never says a word: a MySQL client waits forever for the server's
 * greeting. Stands for a stuck host, a half-open load balancer or a firewall that drops replies.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

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
                accepted.add(server.accept());
            } catch (IOException e) {
                return;
            }
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** connections accepted and still open: each is a client waiting for an answer */
    public long waiting() {
        return accepted.stream().filter(s -> !s.isClosed()).count();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
