package io.vigil.collector.mongodb;

import io.vigil.collector.Reading;
import org.bson.BsonTimestamp;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parsing the scraper uses, fed with command outputs recorded from real MongoDB 3.0, 3.6 and 4.2
 * servers (where each came from, and what was trimmed: README.md beside the documents). Every expected
 * value is read from the document itself; the comment beside it gives its path there.
 */
class MongoRecordedTest {

    // --- MongoDB 3.0.2, standalone, MMAPv1: serverStatus in mongo shell notation

    private static final String STANDALONE_302 = "recorded-3.0.2-standalone.serverStatus.js";

    @Test
    void standalone302IsNotAReplicaSetMemberSoTheScraperAsksNothingMore() {
        Document status = RecordedOutputs.document(STANDALONE_302);
        // No repl section: the scraper must not run replSetGetStatus (this server counted 16 failed
        // replSetGetStatus calls from the tool that recorded it: metrics.commands.replSetGetStatus).
        assertThat(status.getString("version")).isEqualTo("3.0.2");
        assertThat(MongoStatusMetrics.inReplicaSet(status)).isFalse();
    }

    @Test
    void standalone302OnMmapv1HasNoWiredTigerCacheAndNoPrimaryFlag() {
        var out = serverStatus(RecordedOutputs.document(STANDALONE_302));

        assertThat(value(out, MongoMetrics.CONNECTIONS_CURRENT, Map.of())).isEqualTo(2); // connections.current
        assertThat(value(out, MongoMetrics.CONNECTIONS_AVAILABLE, Map.of())).isEqualTo(202); // connections.available
        assertThat(ops(out)).containsExactlyInAnyOrderEntriesOf(Map.of( // opcounters.*
                "insert", 0.0, "query", 2.0, "update", 0.0, "delete", 0.0, "getmore", 0.0, "command", 115.0));
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "readers"))).isZero(); // globalLock.currentQueue.readers
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "writers"))).isZero(); // globalLock.currentQueue.writers
        // storageEngine.name is mmapv1: no wiredTiger section, so no cache series at all (not zeros).
        assertThat(out).extracting(Reading::metric).containsOnly(MongoMetrics.CONNECTIONS_CURRENT,
                MongoMetrics.CONNECTIONS_AVAILABLE, MongoMetrics.OPS, MongoMetrics.LOCK_QUEUE);
        assertThat(out).hasSize(2 + 6 + 2);
    }

    // --- MongoDB 3.6.20, primary of three: getDiagnosticData (serverStatus, replSetGetStatus) as a Go exporter wrote it

    private static final String PRIMARY_3620 = "recorded-3.6.20-primary.getDiagnosticData.json";

    @Test
    void primary3620ServerStatusBeforeHello() {
        Document status = RecordedOutputs.goRendered(PRIMARY_3620).get("serverStatus", Document.class);
        assertThat(status.getString("version")).isEqualTo("3.6.20");
        assertThat(MongoStatusMetrics.inReplicaSet(status)).isTrue(); // repl.setName "rs1"
        var out = serverStatus(status);

        assertThat(value(out, MongoMetrics.PRIMARY, Map.of())).isOne(); // repl.ismaster true (3.6 has no isWritablePrimary)
        assertThat(value(out, MongoMetrics.CONNECTIONS_CURRENT, Map.of())).isEqualTo(20); // connections.current
        assertThat(value(out, MongoMetrics.CONNECTIONS_AVAILABLE, Map.of())).isEqualTo(838840); // connections.available
        assertThat(ops(out)).containsExactlyInAnyOrderEntriesOf(Map.of( // opcounters.*
                "insert", 3.0, "query", 16.0, "update", 3.0, "delete", 0.0, "getmore", 81.0, "command", 235.0));
        assertThat(only(out, MongoMetrics.OPS, Map.of("op", "insert")).counter()).isTrue();
        assertThat(value(out, MongoMetrics.CACHE_USED, Map.of())).isEqualTo(101592); // wiredTiger.cache["bytes currently in the cache"]
        assertThat(value(out, MongoMetrics.CACHE_MAX, Map.of())).isEqualTo(3109027840L); // wiredTiger.cache["maximum bytes configured"]
        assertThat(value(out, MongoMetrics.CACHE_DIRTY, Map.of())).isEqualTo(86708); // wiredTiger.cache["tracked dirty bytes in the cache"]
        assertThat(value(out, MongoMetrics.CACHE_USED_RATIO, Map.of())).isEqualTo(101592.0 / 3109027840.0);
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "readers"))).isZero(); // globalLock.currentQueue.readers
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "writers"))).isZero(); // globalLock.currentQueue.writers
        assertThat(out).hasSize(2 + 6 + 4 + 2 + 1);
    }

    @Test
    void primary3620SeesBothSecondariesFifteenSecondsBehind() {
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.replSetStatus(RecordedOutputs.goRendered(PRIMARY_3620).get("replSetGetStatus", Document.class), out);

        // members[].name -> members[].state
        assertThat(series(out, MongoMetrics.MEMBER_STATE)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "172.18.0.9:27017", 1.0, "172.18.0.3:27017", 2.0, "172.18.0.8:27017", 2.0));
        // members[].health is 1 for all three (written 1, not 1.0, by the Go exporter that captured it)
        assertThat(series(out, MongoMetrics.MEMBER_HEALTHY)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "172.18.0.9:27017", 1.0, "172.18.0.3:27017", 1.0, "172.18.0.8:27017", 1.0));
        // members[0].optimeDate 12:33:10Z (the primary) - members[1,2].optimeDate 12:32:55Z; none for the primary
        assertThat(series(out, MongoMetrics.MEMBER_LAG)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "172.18.0.3:27017", 15.0, "172.18.0.8:27017", 15.0));
    }

    // --- MongoDB 4.2.8, primary of three: getDiagnosticData as a Go exporter wrote it

    private static final String PRIMARY_428 = "recorded-4.2.8-primary.getDiagnosticData.json";

    @Test
    void primary428ServerStatus() {
        Document status = RecordedOutputs.goRendered(PRIMARY_428).get("serverStatus", Document.class);
        assertThat(status.getString("version")).isEqualTo("4.2.8");
        assertThat(MongoStatusMetrics.inReplicaSet(status)).isTrue(); // repl.setName "rs1"
        var out = serverStatus(status);

        assertThat(value(out, MongoMetrics.PRIMARY, Map.of())).isOne(); // repl.ismaster true
        assertThat(value(out, MongoMetrics.CONNECTIONS_CURRENT, Map.of())).isEqualTo(22); // connections.current
        assertThat(value(out, MongoMetrics.CONNECTIONS_AVAILABLE, Map.of())).isEqualTo(838838); // connections.available
        assertThat(ops(out)).containsExactlyInAnyOrderEntriesOf(Map.of( // opcounters.*
                "insert", 2083.0, "query", 6132.0, "update", 1559.0, "delete", 2064.0, "getmore", 19527.0, "command", 44255.0));
        assertThat(value(out, MongoMetrics.CACHE_USED, Map.of())).isEqualTo(4148341); // wiredTiger.cache["bytes currently in the cache"]
        // wiredTiger.cache["maximum bytes configured"]: past Int32, so the document holds an Int64
        assertThat(status.get("wiredTiger", Document.class).get("cache", Document.class).get("maximum bytes configured")).isInstanceOf(Long.class);
        assertThat(value(out, MongoMetrics.CACHE_MAX, Map.of())).isEqualTo(16241393664L);
        assertThat(value(out, MongoMetrics.CACHE_DIRTY, Map.of())).isEqualTo(2839808); // wiredTiger.cache["tracked dirty bytes in the cache"]
        assertThat(value(out, MongoMetrics.CACHE_USED_RATIO, Map.of())).isEqualTo(4148341.0 / 16241393664.0);
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "readers"))).isZero(); // globalLock.currentQueue.readers
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "writers"))).isZero(); // globalLock.currentQueue.writers
        assertThat(out).hasSize(2 + 6 + 4 + 2 + 1);
    }

    @Test
    void primary428SeesSecondariesInStepWithZeroLagNotNone() {
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.replSetStatus(RecordedOutputs.goRendered(PRIMARY_428).get("replSetGetStatus", Document.class), out);

        assertThat(series(out, MongoMetrics.MEMBER_STATE)).containsExactlyInAnyOrderEntriesOf(Map.of( // members[].state
                "172.19.0.9:27017", 1.0, "172.19.0.7:27017", 2.0, "172.19.0.6:27017", 2.0));
        assertThat(series(out, MongoMetrics.MEMBER_HEALTHY)).containsExactlyInAnyOrderEntriesOf(Map.of( // members[].health
                "172.19.0.9:27017", 1.0, "172.19.0.7:27017", 1.0, "172.19.0.6:27017", 1.0));
        // members[].optimeDate is 2020-09-10T14:39:47-03:00 for all three
        assertThat(series(out, MongoMetrics.MEMBER_LAG)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "172.19.0.7:27017", 0.0, "172.19.0.6:27017", 0.0));
    }

    // --- MongoDB 4.2, secondary of a shard's replica set with an arbiter: replSetGetStatus in legacy Extended JSON

    private static final String PRIMARY = "mongo-mongodb-sharded-shard0-data-0.mongo-mongodb-sharded-headless.default.svc.cluster.local:27017";
    private static final String ARBITER = "mongo-mongodb-sharded-shard0-arbiter-0.mongo-mongodb-sharded-headless.default.svc.cluster.local:27017";
    private static final String SELF = "mongo-mongodb-sharded-shard0-data-1.mongo-mongodb-sharded-headless.default.svc.cluster.local:27017";
    private static final String OTHER = "mongo-mongodb-sharded-shard0-data-2.mongo-mongodb-sharded-headless.default.svc.cluster.local:27017";

    @Test
    void secondary42SeesThePrimaryAndAnArbiterWithoutOptime() {
        Document rs = RecordedOutputs.document("recorded-4.2-secondary-with-arbiter.replSetGetStatus.json");
        assertThat(rs.getInteger("myState")).isEqualTo(2); // myState: this node is a secondary
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.replSetStatus(rs, out);

        assertThat(series(out, MongoMetrics.MEMBER_STATE)).containsExactlyInAnyOrderEntriesOf(Map.of( // members[].state
                PRIMARY, 1.0, ARBITER, 7.0, SELF, 2.0, OTHER, 2.0));
        assertThat(series(out, MongoMetrics.MEMBER_HEALTHY)).containsExactlyInAnyOrderEntriesOf(Map.of( // members[].health 1.0
                PRIMARY, 1.0, ARBITER, 1.0, SELF, 1.0, OTHER, 1.0));
        // members[].optimeDate {"$date": 1601384207000} for the primary and both secondaries (an idle set:
        // "date" is 2.8 days later); the arbiter has no optime at all and so no lag.
        assertThat(series(out, MongoMetrics.MEMBER_LAG)).containsExactlyInAnyOrderEntriesOf(Map.of(SELF, 0.0, OTHER, 0.0));
    }

    // --- Hand-written, in the shapes of the manual, for what no recording above shows: a member that is
    // down (state 8, health 0, optimeDate at the epoch), a secondary's own serverStatus, and the
    // isWritablePrimary of 4.4 and later.

    @Test
    void handWrittenSecondaryOf42SeesItsPrimaryAndADownMemberAndIsBehindByTheOptimeGap() {
        var out = new ArrayList<Reading>();
        Document status = RecordedOutputs.document("handwritten-serverStatus-4.2-secondary.json");
        MongoStatusMetrics.serverStatus(status, out);
        assertThat(MongoStatusMetrics.inReplicaSet(status)).isTrue();
        MongoStatusMetrics.replSetStatus(RecordedOutputs.document("handwritten-replSetGetStatus-4.2-down-member.json"), out);

        assertThat(value(out, MongoMetrics.PRIMARY, Map.of())).isZero();
        assertThat(value(out, MongoMetrics.CACHE_USED_RATIO, Map.of())).isEqualTo(0.75);
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "readers"))).isEqualTo(2);
        assertThat(value(out, MongoMetrics.LOCK_QUEUE, Map.of("queue", "writers"))).isEqualTo(1);
        assertThat(series(out, MongoMetrics.MEMBER_STATE)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mongo-a:27017", 1.0, "mongo-b:27017", 2.0, "mongo-c:27017", 8.0));
        assertThat(value(out, MongoMetrics.MEMBER_HEALTHY, Map.of("member", "mongo-c:27017"))).isZero();
        // 45 s behind the primary's last applied operation; a down member has no lag, not a huge one.
        assertThat(series(out, MongoMetrics.MEMBER_LAG)).containsExactlyInAnyOrderEntriesOf(Map.of("mongo-b:27017", 45.0));
    }

    @Test
    void handWrittenPrimaryOf50WithAnArbiterUsesIsWritablePrimary() {
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.serverStatus(RecordedOutputs.document("handwritten-serverStatus-5.0-primary.json"), out);
        MongoStatusMetrics.replSetStatus(RecordedOutputs.document("handwritten-replSetGetStatus-5.0.json"), out);

        assertThat(value(out, MongoMetrics.PRIMARY, Map.of())).isOne();
        assertThat(value(out, MongoMetrics.OPS, Map.of("op", "insert"))).isEqualTo(1200400);
        assertThat(series(out, MongoMetrics.MEMBER_STATE)).containsEntry("mongo-arb:27017", 7.0);
        assertThat(series(out, MongoMetrics.MEMBER_LAG)).containsExactlyInAnyOrderEntriesOf(Map.of("mongo-b:27017", 2.0));
    }

    // --- The oplog window. No oplog entry was found recorded anywhere (README.md), so these entries are built here.

    @Test
    void oplogWindowIsTheSpanBetweenTheFirstAndLastEntriesTs() {
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.oplogWindow(new Document("ts", new BsonTimestamp(1796300000, 1)).append("op", "n"),
                new Document("ts", new BsonTimestamp(1796353210, 4)).append("op", "i"), out);
        assertThat(value(out, MongoMetrics.OPLOG_WINDOW, Map.of())).isEqualTo(53210);
    }

    @Test
    void anEmptyOrMissingOplogHasNoWindow() {
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.oplogWindow(null, null, out); // an arbiter: local.oplog.rs has no entries
        MongoStatusMetrics.oplogWindow(new Document("op", "n"), new Document("ts", new BsonTimestamp(1, 1)), out);
        assertThat(out).isEmpty();
    }

    private static List<Reading> serverStatus(Document status) {
        var out = new ArrayList<Reading>();
        MongoStatusMetrics.serverStatus(status, out);
        return out;
    }

    private static Map<String, Double> ops(List<Reading> out) {
        var m = new TreeMap<String, Double>();
        out.stream().filter(r -> r.metric().equals(MongoMetrics.OPS)).forEach(r -> m.put(r.labels().get("op"), r.value()));
        return m;
    }

    /** One metric's readings by member. */
    private static Map<String, Double> series(List<Reading> out, String metric) {
        var m = new TreeMap<String, Double>();
        out.stream().filter(r -> r.metric().equals(metric)).forEach(r -> {
            assertThat(m.put(r.labels().get("member"), r.value())).as("a second " + metric + " for " + r.labels()).isNull();
        });
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
}
