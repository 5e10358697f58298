package io.vigil.logs.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.transport.rest_client.RestClientHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;

/** One HTTP client pool to an Elasticsearch cluster, shared by indexing and search. */
public final class ElasticsearchConnection implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 5_000;
    /** A bulk request of a few MB on a busy node can take a while; a hung node must not hang us forever. */
    private static final int SOCKET_TIMEOUT_MS = 60_000;

    private final ElasticsearchSettings settings;
    private final RestClient restClient;
    private final ElasticsearchClient client;

    public ElasticsearchConnection(ElasticsearchSettings settings) {
        this.settings = settings;
        var hosts = settings.urls().stream().map(u -> new HttpHost(u.getHost(), u.getPort() < 0
                ? ("https".equals(u.getScheme()) ? 443 : 9200) : u.getPort(), u.getScheme())).toArray(HttpHost[]::new);
        var builder = RestClient.builder(hosts)
                .setRequestConfigCallback(c -> c.setConnectTimeout(CONNECT_TIMEOUT_MS).setSocketTimeout(SOCKET_TIMEOUT_MS));
        authorization(settings).ifPresent(h -> builder.setDefaultHeaders(new Header[]{h}));
        this.restClient = builder.build();
        // RestClientTransport but for the bodies, which go to the REST client in one buffer (see OneBufferBodies).
        this.client = new ElasticsearchClient(new Transport(new OneBufferBodies(new RestClientHttpClient(restClient)),
                new JacksonJsonpMapper()));
    }

    private static final class Transport extends ElasticsearchTransportBase {
        Transport(TransportHttpClient http, JsonpMapper mapper) {
            super(http, null, mapper);
        }
    }

    private static java.util.Optional<Header> authorization(ElasticsearchSettings s) {
        if (s.apiKey().isPresent()) {
            return java.util.Optional.of(new BasicHeader("Authorization", "ApiKey " + s.apiKey().get()));
        }
        return s.username().map(user -> new BasicHeader("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + s.password().orElse("")).getBytes(StandardCharsets.UTF_8))));
    }

    public ElasticsearchClient client() {
        return client;
    }

    public ElasticsearchSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        try {
            restClient.close();
        } catch (IOException e) {
            // Closing idle connections; nothing is lost.
        }
    }

    @Override
    public String toString() {
        return "Elasticsearch " + settings;
    }
}
