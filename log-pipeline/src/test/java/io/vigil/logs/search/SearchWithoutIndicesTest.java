package io.vigil.logs.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.logs.index.ElasticsearchConnection;
import io.vigil.logs.index.ElasticsearchSettings;
import io.vigil.logs.index.IndexNames;
import io.vigil.testbed.Elasticsearch;
import io.vigil.testbed.WithServices;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A fresh cluster, before the first log arrives: every search answers, with nothing. */
@WithServices(Elasticsearch.class)
class SearchWithoutIndicesTest {

    private static final SearchWindow HOUR = new SearchWindow(Instant.parse("2026-12-04T10:00:00Z"),
            Instant.parse("2026-12-04T11:00:00Z"));

    private final ElasticsearchConnection connection;
    private final IndexNames names = new IndexNames("t-nothing-yet");

    SearchWithoutIndicesTest(Elasticsearch elasticsearch) {
        connection = new ElasticsearchConnection(ElasticsearchSettings.of(elasticsearch.url()));
    }

    @AfterEach
    void close() {
        connection.close();
    }

    @Test
    void everySearchAnswersEmpty() throws Exception {
        var slow = new SlowLogSearch(connection.client(), names);
        for (Ranking ranking : Ranking.values()) {
            var top = slow.top(HOUR, SlowLogFilter.ALL, ranking, 10);
            assertThat(top.classes()).isEmpty();
            assertThat(top.totalCount()).isZero();
        }
        assertThat(slow.queryClass("A1B2C3D4E5F60718293A4B5C6D7E8F90", HOUR, SlowLogFilter.ALL, Optional.of(Duration.ofMinutes(1)), 5))
                .isEmpty();
        assertThat(slow.slowest(HOUR, SlowLogFilter.ALL, 10).queries()).isEmpty();
        var errors = new ErrorLogSearch(connection.client(), names).search(new ErrorQuery(HOUR, List.of("error"),
                Optional.of("MY-010055"), Optional.of("access denied"), Optional.empty(), Optional.empty(), 10));
        assertThat(errors.total()).isZero();
        assertThat(errors.events()).isEmpty();
    }

    @Test
    void anUnreachableClusterIsSaidSo() {
        try (var nowhere = new ElasticsearchConnection(ElasticsearchSettings.of("http://127.0.0.1:9"))) {
            var search = new SlowLogSearch(nowhere.client(), names);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> search.top(HOUR, SlowLogFilter.ALL, Ranking.SUM, 10))
                    .isInstanceOf(SearchUnavailableException.class).hasMessageContaining("not reachable");
        }
    }
}
