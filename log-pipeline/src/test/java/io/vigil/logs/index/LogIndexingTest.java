package io.vigil.logs.index;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogKind;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.StatementDigestDelta;
import io.vigil.testbed.Elasticsearch;
import io.vigil.testbed.WithServices;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

@WithServices(Elasticsearch.class)
class LogIndexingTest {

    private static final Instant T = Instant.parse("2026-12-03T23:59:58Z");

    private final ElasticsearchConnection connection;
    private final ElasticsearchClient client;

    LogIndexingTest(Elasticsearch elasticsearch) {
        connection = new ElasticsearchConnection(ElasticsearchSettings.of(elasticsearch.url()));
        client = connection.client();
    }


    private IndexNames ready(String prefix) throws Exception {
        var names = new IndexNames(prefix);
        new IndexTemplates(client, names, 1, 0).ensure();
        return names;
    }

    private long count(String pattern) throws Exception {
        client.indices().refresh(r -> r.index(pattern).ignoreUnavailable(true).allowNoIndices(true));
        return client.count(c -> c.index(pattern).ignoreUnavailable(true).allowNoIndices(true)).count();
    }

    @Test
    void templatesGiveEveryDailyIndexTheDeclaredMappings() throws Exception {
        var names = ready("t-mapping");
        var source = new LogSource("db-1", "pay", "db-1:3306", LogKind.ERROR, "/var/log/mysql/error.log");
        var batch = new LogBatch(source, "2049:7", 0, 500, List.of(),
                List.of(TestBatches.error(T, "ERROR", "MY-010055", "Access denied for user 'app'@'10.0.0.7'", 0)),
                List.of(), List.of());
        var slow = TestBatches.slow(TestBatches.slowSource("db-1", "db-1:3306"), "2049:8", 0, T, 1);
        var digest = new LogBatch(new LogSource("db-1", "pay", "db-1:3306", LogKind.DIGEST, "performance_schema"), "", 0, 0,
                List.of(), List.of(), List.of(new StatementDigestDelta("shop", "d1", "SELECT ?", "select ?", "AA", 3, 0.5, 0.3,
                        0.01, 3, 30, 0, 1, 0, 2, T.minusSeconds(60), T)), List.of());
        var indexer = new BulkIndexer(client, 100, 5_000_000);
        var documents = new LogDocuments(names);
        for (var b : List.of(batch, slow, digest)) {
            assertThat(indexer.index(documents.of(b).documents()).created()).isEqualTo(1);
        }

        Map<String, Property> slowMapping = mapping(names.daily(LogIndex.SLOW, T));
        assertThat(slowMapping.get(Fields.FINGERPRINT).isKeyword()).isTrue();
        assertThat(slowMapping.get(Fields.QUERY_ID).isKeyword()).isTrue();
        assertThat(slowMapping.get(Fields.INSTANCE).isKeyword()).isTrue();
        assertThat(slowMapping.get(Fields.CLUSTER).isKeyword()).isTrue();
        assertThat(slowMapping.get(Fields.USER).isKeyword()).isTrue();
        assertThat(slowMapping.get(Fields.SCHEMA).isKeyword()).isTrue();
        assertThat(slowMapping.get(Fields.QUERY).isText()).isTrue();
        assertThat(slowMapping.get(Fields.QUERY).text().fields()).isEmpty();
        assertThat(slowMapping.get(Fields.TIMESTAMP).isDate()).isTrue();
        assertThat(slowMapping.get(Fields.QUERY_TIME).isDouble()).isTrue();
        assertThat(slowMapping.get(Fields.ROWS_EXAMINED).isLong()).isTrue();
        assertThat(slowMapping.get(Fields.ATTRIBUTES).object().enabled()).isFalse();

        Map<String, Property> errorMapping = mapping(names.daily(LogIndex.ERRORS, T));
        assertThat(errorMapping.get(Fields.SEVERITY).isKeyword()).isTrue();
        assertThat(errorMapping.get(Fields.CODE).isKeyword()).isTrue();
        assertThat(errorMapping.get(Fields.MESSAGE).isText()).isTrue();
        assertThat(errorMapping.get(Fields.MESSAGE).text().fields().get("raw").keyword().ignoreAbove())
                .isEqualTo(IndexTemplates.SHORT_MESSAGE);

        Map<String, Property> digestMapping = mapping(names.daily(LogIndex.DIGESTS, T));
        assertThat(digestMapping.get(Fields.DIGEST).isKeyword()).isTrue();
        assertThat(digestMapping.get(Fields.COUNT).isLong()).isTrue();
        assertThat(digestMapping.get(Fields.TOTAL_SECONDS).isDouble()).isTrue();

        var settings = client.indices().getSettings(g -> g.index(names.daily(LogIndex.SLOW, T))).result()
                .get(names.daily(LogIndex.SLOW, T)).settings().index();
        assertThat(settings.numberOfReplicas()).isEqualTo("0");
        assertThat(settings.numberOfShards()).isEqualTo("1");
    }

    @Test
    void withoutIlmInTheClusterTheTemplatesNameNoPolicyAndRetentionIsVigils() throws Exception {
        var names = new IndexNames("t-noilm");
        var lifecycle = new IndexLifecycle(client, names, 7);

        assertThat(lifecycle.ensure()).isEmpty(); // the integ-test build has no ILM
        new IndexTemplates(client, names, 1, 0, lifecycle).ensure();
        new BulkIndexer(client, 10, 5_000_000).index(new LogDocuments(names)
                .of(TestBatches.slow(TestBatches.slowSource("db-1", "db-1:3306"), "2049:9", 0, T, 1)).documents());

        var index = names.daily(LogIndex.SLOW, T);
        var settings = client.indices().getSettings(g -> g.index(index)).result().get(index).settings().index();
        assertThat(settings.lifecycle()).isNull();
        assertThat(mapping(index).get(Fields.QUERY_ID).isKeyword()).isTrue();
    }

    private Map<String, Property> mapping(String index) throws Exception {
        return client.indices().getMapping(g -> g.index(index)).result().get(index).mappings().properties();
    }

    @Test
    void aRedeliveredBatchLeavesTheSameDocuments() throws Exception {
        var names = ready("t-redeliver");
        var documents = new LogDocuments(names);
        var indexer = new BulkIndexer(client, 7, 5_000_000); // several bulk requests per batch
        var batch = TestBatches.slow(TestBatches.slowSource("db-1", "db-1:3306"), "2049:11", 4096, T.minusSeconds(3600), 25);

        var first = indexer.index(documents.of(batch).documents());
        var again = indexer.index(documents.of(LogBatchRoundTrip.of(batch)).documents());

        assertThat(first.created()).isEqualTo(25);
        assertThat(again.created()).isZero();
        assertThat(again.existing()).isEqualTo(25);
        assertThat(count(names.pattern(LogIndex.SLOW))).isEqualTo(25);
    }

    @Test
    void largeDocumentsTravelInSeveralRequestsUnderTheByteLimit() throws Exception {
        var names = ready("t-large");
        var documents = new LogDocuments(names);
        var source = TestBatches.slowSource("db-1", "db-1:3306");
        var slow = new java.util.ArrayList<io.vigil.logs.wire.ShippedSlowQuery>();
        for (int i = 0; i < 12; i++) {
            String query = "INSERT INTO t VALUES ('" + "x".repeat(300_000) + "')";
            slow.add(TestBatches.shipped(T.plusSeconds(i), "app", "shop", 1, query, "insert into t values(?+)", "FEED", 1_000_000L * i));
        }
        var docs = documents.of(new LogBatch(source, "2049:15", 0, 12_000_000, slow, null, null, null)).documents();
        assertThat(BulkBody.bytes(docs.getFirst())).isBetween(300_000L, 301_000L);

        var outcome = new BulkIndexer(client, 100, 1_000_000).index(docs);

        assertThat(outcome.created()).isEqualTo(12);
        assertThat(count(names.pattern(LogIndex.SLOW))).isEqualTo(12);
    }

    @Test
    void theSameOffsetInARotatedFileIsAnotherDocument() throws Exception {
        var names = ready("t-rotated");
        var documents = new LogDocuments(names);
        var indexer = new BulkIndexer(client, 100, 5_000_000);
        var source = TestBatches.slowSource("db-1", "db-1:3306");

        indexer.index(documents.of(TestBatches.slow(source, "2049:11", 0, T.minusSeconds(60), 3)).documents());
        indexer.index(documents.of(TestBatches.slow(source, "2049:12", 0, T.minusSeconds(60), 3)).documents());

        assertThat(count(names.pattern(LogIndex.SLOW))).isEqualTo(6);
    }

    @Test
    void eventsGoToTheDailyIndexOfTheirOwnUtcDay() throws Exception {
        var names = ready("t-daily");
        var documents = new LogDocuments(names);
        // 23:59:58, :59, then 00:00:00 and :01 of the next day.
        var batch = TestBatches.slow(TestBatches.slowSource("db-1", "db-1:3306"), "2049:13", 0, T, 4);

        var docs = documents.of(batch).documents();
        new BulkIndexer(client, 100, 5_000_000).index(docs);

        assertThat(docs).extracting(LogDocument::index).containsExactly("t-daily-slow-2026.12.03", "t-daily-slow-2026.12.03",
                "t-daily-slow-2026.12.04", "t-daily-slow-2026.12.04");
        assertThat(count("t-daily-slow-2026.12.03")).isEqualTo(2);
        assertThat(count("t-daily-slow-2026.12.04")).isEqualTo(2);
    }

    @Test
    void aDocumentWithAMappingErrorIsCountedNotRetried() throws Exception {
        var names = ready("t-reject");
        var documents = new LogDocuments(names);
        var good = documents.of(TestBatches.slow(TestBatches.slowSource("db-1", "db-1:3306"), "2049:14", 0, T, 2)).documents();
        var bad = new LogDocument(good.getFirst().index(), "bad-offset", Map.of(Fields.TIMESTAMP, T.toString(),
                Fields.OFFSET, "not a number", Fields.QUERY_TIME, 1.0), "db-1:/var/log/mysql/slow.log 2049:14@999");

        var outcome = new BulkIndexer(client, 100, 5_000_000).index(List.of(good.get(0), bad, good.get(1)));

        assertThat(outcome.created()).isEqualTo(2);
        assertThat(outcome.rejected()).isEqualTo(1);
        assertThat(outcome.retry()).isEmpty();
        assertThat(count(names.pattern(LogIndex.SLOW))).isEqualTo(2);
    }

    @Test
    void documentsABlockedIndexRefusesWaitAndGetInOnceItIsWritable() throws Exception {
        var names = ready("t-blocked");
        var documents = new LogDocuments(names);
        var indexer = new BulkIndexer(client, 100, 5_000_000);
        var first = documents.of(TestBatches.slow(TestBatches.slowSource("db-1", "db-1:3306"), "2049:16", 0, T.minusSeconds(3600), 3)).documents();
        indexer.index(first.subList(0, 1));
        String index = first.getFirst().index();

        // What a full disk does (flood-stage watermark: HTTP 429), then what an operator's write block does (403).
        for (String block : List.of("index.blocks.read_only_allow_delete", "index.blocks.write")) {
            client.indices().putSettings(p -> p.index(index).settings(x -> x.otherSettings(block, co.elastic.clients.json.JsonData.of(true))));
            var refused = indexer.index(first.subList(1, 3));
            assertThat(refused.retry()).as(block).hasSize(2);
            assertThat(refused.rejected()).as(block).isZero();
            client.indices().putSettings(p -> p.index(index).settings(x -> x.otherSettings(block, co.elastic.clients.json.JsonData.of(false))));
        }

        var later = indexer.index(first.subList(1, 3));
        assertThat(later.created()).isEqualTo(2);
        assertThat(count(names.pattern(LogIndex.SLOW))).isEqualTo(3);
    }

    @Test
    void retentionDeletesOnlyDailyIndicesOlderThanItsDays() throws Exception {
        var names = ready("t-retention");
        var today = LocalDate.of(2026, 12, 10);
        for (String index : List.of("t-retention-slow-2026.12.01", "t-retention-slow-2026.12.03", "t-retention-slow-2026.12.04",
                "t-retention-slow-2026.12.10", "t-retention-errors-2026.11.30", "t-retention-digests-2026.12.09",
                "t-retention-slow-archive", "t-retentionx-slow-2026.01.01")) {
            client.indices().create(c -> c.index(index));
        }
        var clock = Clock.fixed(today.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

        var deleted = new IndexRetention(client, names, 7, clock).apply();

        assertThat(deleted).containsExactlyInAnyOrder("t-retention-slow-2026.12.01", "t-retention-slow-2026.12.03",
                "t-retention-errors-2026.11.30");
        var left = new TreeSet<String>();
        client.cat().indices(c -> c.index("t-retention*")).valueBody().forEach(r -> left.add(r.index()));
        assertThat(left).containsExactly("t-retention-digests-2026.12.09", "t-retention-slow-2026.12.04",
                "t-retention-slow-2026.12.10", "t-retention-slow-archive", "t-retentionx-slow-2026.01.01");
    }
}
