package io.vigil.notifier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A local HTTP server on 127.0.0.1 that records every request and answers through a handler. */
final class HttpStub implements AutoCloseable {

    record Recorded(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        Map<String, String> query() {
            return decodeForm(rawQuery);
        }

        /** application/x-www-form-urlencoded body, single-valued. */
        Map<String, String> form() {
            return decodeForm(bodyText());
        }
    }

    record Reply(int status, String contentType, String body, Map<String, String> headers) {

        static Reply json(int status, String body) {
            return new Reply(status, "application/json", body, Map.of());
        }
    }

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile Function<Recorded, Reply> handler;

    HttpStub(Function<Recorded, Reply> handler) throws IOException {
        this.handler = handler;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    void answer(Function<Recorded, Reply> handler) {
        this.handler = handler;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            var headers = new LinkedHashMap<String, List<String>>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            var r = new Recorded(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                    headers, ex.getRequestBody().readAllBytes());
            requests.add(r);
            Reply reply;
            try {
                reply = handler.apply(r);
            } catch (RuntimeException e) {
                reply = new Reply(500, "text/plain", "stub failure: " + e, Map.of());
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", reply.contentType());
            reply.headers().forEach(ex.getResponseHeaders()::add);
            ex.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                ex.getResponseBody().write(body);
            }
        }
    }

    URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Twilio's client splices region/edge into dotted host names: its stub must be reached as localhost. */
    URI localhostUri() {
        return URI.create("http://localhost:" + server.getAddress().getPort());
    }

    List<Recorded> requests() {
        return new ArrayList<>(requests);
    }

    List<Recorded> requests(String method, String pathSuffix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix)).toList();
    }

    static Map<String, String> decodeForm(String s) {
        var map = new LinkedHashMap<String, String>();
        if (s == null || s.isEmpty()) {
            return map;
        }
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            map.put(k, v);
        }
        return map;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
