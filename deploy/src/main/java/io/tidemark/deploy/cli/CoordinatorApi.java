package io.tidemark.deploy.cli;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The coordinator's REST API as the client calls it, every call bounded by the {@link Settings}' timeouts. */
final class CoordinatorApi {

    /** an HTTP answer whose body is JSON (a view, a list, or the API's error shape) */
    record Answer(int status, JsonNode json) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final MasterAddr addr;
    private final Settings settings;
    private final HttpClient http;
    private final JsonMapper json = JsonMapper.builder().build();

    CoordinatorApi(MasterAddr addr, Settings settings) {
        this.addr = addr;
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    MasterAddr addr() {
        return addr;
    }

    /** {@code POST /api/v1/imports[/check]?name=FILE} with the file's bytes unchanged */
    Answer submitImport(String fileName, byte[] toml, boolean check) throws Unreachable, InterruptedException {
        String path = "/api/v1/imports" + (check ? "/check" : "") + "?name="
                + URLEncoder.encode(fileName, StandardCharsets.UTF_8);
        return send(request(path).timeout(settings.submitTimeout())
                .header("Content-Type", "application/toml").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(toml)).build());
    }

    /** {@code GET /api/v1/migrations/{id}} */
    Answer migration(String id) throws Unreachable, InterruptedException {
        // a path segment: a space is %20 there, not the form encoding's '+'
        return get("/api/v1/migrations/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /** {@code GET /api/v1/migrations} */
    Answer migrations() throws Unreachable, InterruptedException {
        return get("/api/v1/migrations");
    }

    /**
     * Any call of the DM verbs' endpoints ({@code /api/v1/sources}, {@code /api/v1/tasks}, {@code /api/v1/encrypt}).
     *
     * @param contentType null for a request without a body
     */
    Answer call(String method, String path, String contentType, byte[] body) throws Unreachable, InterruptedException {
        HttpRequest.Builder request = request(path)
                .timeout(body == null ? settings.callTimeout() : settings.submitTimeout())
                .header("Accept", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return send(request.build());
    }

    /**
     * {@code POST /api/v1/migrations/{id}/verify?QUERY}: answered once every table is compared, so the answer is
     * awaited up to {@code wait} (the catch-up timeout twice, plus the comparison's own allowance)
     */
    Answer verify(String id, String query, java.time.Duration wait) throws Unreachable, InterruptedException {
        return send(request("/api/v1/migrations/" + segment(id) + "/verify?" + query)
                .timeout(wait).header("Accept", "application/json").POST(HttpRequest.BodyPublishers.noBody())
                .build());
    }

    /** a path segment: a space is %20 there, not the form encoding's '+' */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** the full URL of an API path, for the commands the client suggests */
    String url(String path) {
        return addr.resolve(path).toString();
    }

    private Answer get(String path) throws Unreachable, InterruptedException {
        return send(request(path).timeout(settings.callTimeout())
                .header("Accept", "application/json").GET().build());
    }

    /** every request to the coordinator: with the API token when the client has one */
    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(addr.resolve(pathAndQuery));
        if (addr.token() != null) {
            request.header("Authorization", "Bearer " + addr.token());
        }
        return request;
    }

    private Answer send(HttpRequest request) throws Unreachable, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            throw new Unreachable(addr, "no connection within " + Progress.duration(settings.connectTimeout()));
        } catch (HttpTimeoutException e) {
            throw new Unreachable(addr, "no answer within " + request.timeout().map(Progress::duration).orElse("?")
                    + " to " + request.method() + " " + request.uri().getPath());
        } catch (ConnectException e) {
            throw new Unreachable(addr, cause(e));
        } catch (IOException e) {
            throw new Unreachable(addr, "the connection failed: " + cause(e));
        }
        JsonNode body = null;
        try {
            body = json.readTree(response.body());
        } catch (JacksonException e) {
            // reported below
        }
        if (body == null || !body.isContainer()) {
            // a proxy, another service, or a coordinator too old for this path
            throw new Unreachable(addr, "HTTP " + response.statusCode() + " to " + request.method() + " "
                    + request.uri().getPath() + " without a Tidemark answer (not JSON); is that the coordinator's"
                    + " REST port?");
        }
        return new Answer(response.statusCode(), body);
    }

    private static String cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage().toLowerCase(Locale.ROOT);
            }
        }
        // the JDK's client reports a refused connection as a ConnectException without a message
        return e instanceof ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
}
