package io.vigil.logs.index;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BulkIndexerUnreachableTest {

    @Test
    void aCallOfSeveralRequestsToAnUnreachableClusterFailsAsAWholeAndLeavesNothingInFlight() throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        var docs = new ArrayList<LogDocument>();
        for (int i = 0; i < 25; i++) {
            docs.add(new LogDocument("t-slow-2026.12.04", "id-" + i, Map.of("offset", i), "test@" + i));
        }
        try (var connection = new ElasticsearchConnection(ElasticsearchSettings.of("http://127.0.0.1:" + port))) {
            var indexer = new BulkIndexer(connection.client(), 10, 5_000_000); // three requests, two in flight at once

            assertThatThrownBy(() -> indexer.index(docs))
                    .isInstanceOf(ElasticsearchUnavailableException.class)
                    .hasMessageContaining("not reachable")
                    .hasMessageContaining("10 documents wait");
        }
    }
}
