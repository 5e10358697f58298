package io.vigil.logs.index;

import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.TransportHttpClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Hands every request body to the HTTP client as one buffer. The Java client gives an NDJSON body (a bulk
 * request) as two buffers per line, the line and a shared {@code "\n"}, and the REST client's entity writes one
 * buffer per socket-ready event, each as an HTTP chunk of its own: about 8,000 chunks, {@code write()} calls and
 * wake-ups for a bulk request of 2,000 documents, all of which Elasticsearch must reassemble too
 * (elastic/elasticsearch-java#1339). As one buffer the same bytes go out in a few large writes. The copy costs
 * one pass over a request that is at most a few MB.
 */
final class OneBufferBodies implements TransportHttpClient {

    private final TransportHttpClient http;

    OneBufferBodies(TransportHttpClient http) {
        this.http = http;
    }

    @Override
    public TransportOptions createOptions(TransportOptions options) {
        return http.createOptions(options);
    }

    @Override
    public Response performRequest(String endpointId, Node node, Request request, TransportOptions options) throws IOException {
        return http.performRequest(endpointId, node, oneBuffer(request), options);
    }

    @Override
    public CompletableFuture<Response> performRequestAsync(String endpointId, Node node, Request request,
                                                           TransportOptions options) {
        return http.performRequestAsync(endpointId, node, oneBuffer(request), options);
    }

    @Override
    public void close() throws IOException {
        http.close();
    }

    /** The request with its body in one buffer; the request itself when it has no body or one buffer already. */
    static Request oneBuffer(Request request) {
        Iterable<ByteBuffer> body = request.body();
        if (body == null) {
            return request;
        }
        int buffers = 0;
        long bytes = 0;
        for (ByteBuffer b : body) {
            buffers++;
            bytes += b.remaining();
        }
        if (buffers <= 1 || bytes > Integer.MAX_VALUE - 8) {
            return request;
        }
        ByteBuffer all = ByteBuffer.allocate((int) bytes);
        for (ByteBuffer b : body) {
            all.put(b.duplicate()); // the separator buffer is shared: never move its position
        }
        all.flip();
        return new Request(request.method(), request.path(), request.queryParams(), request.headers(), List.of(all));
    }
}
