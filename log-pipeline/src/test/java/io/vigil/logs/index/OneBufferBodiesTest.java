package io.vigil.logs.index;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.transport.http.TransportHttpClient.Request;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OneBufferBodiesTest {

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    @Test
    void anNdJsonBodyBecomesOneBufferWithEveryByteInOrder() {
        ByteBuffer newline = text("\n"); // shared by every line, as the client's transport shares it
        var body = List.of(text("{\"create\":{\"_id\":\"a\"}}"), newline, text("{\"q\":\"é\"}"), newline,
                text("{\"create\":{\"_id\":\"b\"}}"), newline, text("{}"), newline);
        var request = new Request("POST", "/_bulk", Map.of("refresh", "false"), Map.of("Content-Type", "application/x-ndjson"), body);

        Request one = OneBufferBodies.oneBuffer(request);

        assertThat(one.body()).hasSize(1);
        assertThat(text(one.body().iterator().next()))
                .isEqualTo("{\"create\":{\"_id\":\"a\"}}\n{\"q\":\"é\"}\n{\"create\":{\"_id\":\"b\"}}\n{}\n");
        assertThat(one.method()).isEqualTo("POST");
        assertThat(one.path()).isEqualTo("/_bulk");
        assertThat(one.queryParams()).isEqualTo(request.queryParams());
        assertThat(one.headers()).isEqualTo(request.headers());
        assertThat(newline.remaining()).as("the shared separator is left as it was").isEqualTo(1);
        assertThat(body.getFirst().remaining()).isEqualTo(22);
    }

    @Test
    void aRequestWithoutBodyOrWithOneBufferIsPassedAsItIs() {
        var none = new Request("GET", "/_cluster/health", Map.of(), Map.of(), null);
        var single = new Request("PUT", "/_index_template/x", Map.of(), Map.of(), List.of(text("{}")));

        assertThat(OneBufferBodies.oneBuffer(none)).isSameAs(none);
        assertThat(OneBufferBodies.oneBuffer(single)).isSameAs(single);
    }
}
