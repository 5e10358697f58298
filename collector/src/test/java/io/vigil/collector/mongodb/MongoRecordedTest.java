package io.vigil.collector.mongodb;

import io.vigil.collector.Reading;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Parsing of serverStatus and replSetGetStatus across server versions (the documents' origin: README.md beside them). */
class MongoRecordedTest {

    @Test
    void aSecondaryOf42SeesItsPrimaryAndADownMemberAndIsBehindByTheOptimeGap() throws IOException {
        var out = new ArrayList<Reading>();
        Document status = doc("serverStatus-4.2-secondary.json");
        MongoStatusMetrics.serverStatus(status, out);
        assertThat(MongoStatusMetrics.inReplicaSet(status)).isTrue();
        MongoStatusMetrics.replSetStatus(doc("replSetGetStatus-4.2.json"), out);

        assertThat(value(out, MongoMetrics.PRIMARY, Map.of())).isZero();
        assertThat(value(out, MongoMetrics.CONNECTIONS_CURRENT, Map.of())).isEqualTo(42);
        assertThat(value(out, MongoMetrics.CONNECTIONS_AVAILABLE, Map.of())).isEqualTo(51158);
        assertThat(value(out, MongoMetrics.OPS, Map.of("op", "query"))).isEqualTo(152340);
        assertThat(only(out, MongoMetrics.OPS, Map.of("op", "command")).counter()).isTrue();
        assertThat(value(out, MongoMetrics.CACHE_USED_RATIO, Map.of())).isEqualTo(0.75);
        assertThat(value(out, MongoMetrics.CACHE_DIRTY, Map.of())).isEqualTo(52428800);
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "readers"))).isEqualTo(2);
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "writers"))).isEqualTo(1);
        assertThat(states(out)).containsExactlyInAnyOrderEntriesOf(Map.of("mongo-a:27017", 1.0, "mongo-b:27017", 2.0, "mongo-c:27017", 8.0));
        assertThat(value(out, MongoMetrics.MEMBER_HEALTHY, Map.of("member", "mongo-c:27017"))).isZero();
        assertThat(value(out, MongoMetrics.MEMBER_HEALTHY, Map.of("member", "mongo-b:27017"))).isOne();
        // 45 s behind the primary's last applied operation; a down member has no lag, not a huge one.
        assertThat(value(out, MongoMetrics.MEMBER_LAG, Map.of("member", "mongo-b:27017"))).isEqualTo(45.0);
        assertThat(out).noneMatch(r -> r.metric().equals(MongoMetrics.MEMBER_LAG) && "mongo-c:27017".equals(r.labels().get("member")));
    }

    @Test
    void aPrimaryOf50WithAnArbiterUsesIsWritablePrimary() throws IOException {
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.serverStatus(doc("serverStatus-5.0-primary.json"), out);
        MongoStatusMetrics.replSetStatus(doc("replSetGetStatus-5.0.json"), out);

        assertThat(value(out, MongoMetrics.PRIMARY, Map.of())).isOne();
        assertThat(value(out, MongoMetrics.OPS, Map.of("op", "insert"))).isEqualTo(1200400);
        assertThat(states(out)).containsEntry("mongo-arb:27017", 7.0);
        assertThat(value(out, MongoMetrics.MEMBER_LAG, Map.of("member", "mongo-b:27017"))).isEqualTo(2.0);
        assertThat(out).noneMatch(r -> r.metric().equals(MongoMetrics.MEMBER_LAG)
                && !"mongo-b:27017".equals(r.labels().get("member")));
    }

    @Test
    void aStandaloneOf70HasNoReplicaSetMetrics() throws IOException {
        var out = new ArrayList<Reading>();
        Document status = doc("serverStatus-7.0-standalone.json");
        MongoStatusMetrics.serverStatus(status, out);

        assertThat(MongoStatusMetrics.inReplicaSet(status)).isFalse();
        assertThat(out).extracting(Reading::metric).doesNotContain(MongoMetrics.PRIMARY, MongoMetrics.MEMBER_STATE)
                .contains(MongoMetrics.CACHE_USED, MongoMetrics.CACHE_MAX, MongoMetrics.OPS);
        assertThat(value(out, MongoMetrics.CACHE_USED, Map.of())).isEqualTo(80000);
    }

    @Test
    void theOplogWindowIsTheSpanOfItsEntries() {
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.oplogWindow(new BsonTimestamp(1796300000, 1), new BsonTimestamp(1796353210, 4), out);
        assertThat(value(out, MongoMetrics.OPLOG_WINDOW, Map.of())).isEqualTo(53210);
        var none = new ArrayList<Reading>();
        MongoStatusMetrics.oplogWindow(null, new BsonTimestamp(1, 1), none);
        assertThat(none).isEmpty();
    }

    private static Map<String, Double> states(List<Reading> out) {
        var m = new TreeMap<String, Double>();
        out.stream().filter(r -> r.metric().equals(MongoMetrics.MEMBER_STATE)).forEach(r -> m.put(r.labels().get("member"), r.value()));
        return m;
    }

    private static Reading only(List<Reading> out, String metric, Map<String, String> labels) {
        var matching = out.stream().filter(r -> r.metric().equals(metric) && r.labels().asMap().equals(labels)).toList();
        assertThat(matching).as(metric + labels).hasSize(1);
        return matching.getFirst();
    }

    private static double value(List<Reading> out, String metric, Map<String, String> labels) {
        return only(out, metric, labels).value();
    }

    private static Document doc(String name) throws IOException {
        try (InputStream in = MongoRecordedTest.class.getResourceAsStream(name)) {
            return Document.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
