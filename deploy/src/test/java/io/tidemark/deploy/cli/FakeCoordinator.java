package io.tidemark.deploy.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coordinator's REST API as scripted answers on a loopback port, for the client's unit tests: each
 * {@code METHOD /path} answers its queued answers in turn, the last one again and again (a view polled until it
 * changes). Unscripted paths answer 404 in the API's error shape. Every request is recorded.
 */
final class FakeCoordinator implements AutoCloseable {
    record Request(String method, String path, String query, String contentType, byte[] body, String authorization) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Answer(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Deque<Answer>> answers = new ConcurrentHashMap<>();
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    FakeCoordinator() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String addr() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** queues answers to {@code METHOD /path}, e.g. {@code "GET /api/v1/migrations/x"} */
    FakeCoordinator on(String methodAndPath, int status, String... bodies) {
        Deque<Answer> queue = answers.computeIfAbsent(methodAndPath, k -> new ArrayDeque<>());
        synchronized (queue) {
            for (String body : bodies) {
                queue.add(new Answer(status, body));
            }
        }
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method) {
        return requests().stream().filter(r -> r.method().equals(method)).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body,
                    exchange.getRequestHeaders().getFirst("Authorization")));
            Deque<Answer> queue = answers.get(exchange.getRequestMethod() + " " + path);
            Answer answer;
            if (queue == null) {
                answer = new Answer(404, """
                        {"code": "TM-10011", "message": "there is no %s in the API", "remedy": "see the README"}"""
                        .formatted(path));
            } else {
                synchronized (queue) {
                    answer = queue.size() > 1 ? queue.poll() : queue.peek();
                }
            }
            byte[] out = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), out.length);
            exchange.getResponseBody().write(out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
