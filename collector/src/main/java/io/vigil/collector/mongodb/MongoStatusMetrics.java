package io.vigil.collector.mongodb;

import io.vigil.collector.Reading;
import io.vigil.model.Labels;
import org.bson.BsonTimestamp;
import org.bson.Document;

import java.util.Date;
import java.util.List;

/**
 * Turns the documents MongoDB answers with into readings. Pure, so it is tested on the outputs of
 * several server versions; fields a version lacks produce no reading, never a zero.
 */
final class MongoStatusMetrics {

    private static final List<String> OPS = List.of("insert", "query", "update", "delete", "getmore", "command");

    private MongoStatusMetrics() {
    }

    /** From {@code serverStatus}. */
    static void serverStatus(Document status, List<Reading> out) {
        Document connections = sub(status, "connections");
        gauge(out, MongoMetrics.CONNECTIONS_CURRENT, Labels.EMPTY, number(connections, "current"));
        gauge(out, MongoMetrics.CONNECTIONS_AVAILABLE, Labels.EMPTY, number(connections, "available"));
        Document opcounters = sub(status, "opcounters");
        for (String op : OPS) {
            Double v = number(opcounters, op);
            if (v != null) {
                out.add(new Reading(MongoMetrics.OPS, Labels.of(MongoMetrics.OP, op), v, true));
            }
        }
        Document cache = sub(sub(status, "wiredTiger"), "cache");
        Double used = number(cache, "bytes currently in the cache");
        Double max = number(cache, "maximum bytes configured");
        gauge(out, MongoMetrics.CACHE_USED, Labels.EMPTY, used);
        gauge(out, MongoMetrics.CACHE_DIRTY, Labels.EMPTY, number(cache, "tracked dirty bytes in the cache"));
        gauge(out, MongoMetrics.CACHE_MAX, Labels.EMPTY, max);
        if (used != null && max != null && max > 0) {
            gauge(out, MongoMetrics.CACHE_USED_RATIO, Labels.EMPTY, used / max);
        }
        Document queue = sub(sub(status, "globalLock"), "currentQueue");
        gauge(out, MongoMetrics.LOCK_QUEUE, Labels.of(MongoMetrics.QUEUE, "readers"), number(queue, "readers"));
        gauge(out, MongoMetrics.LOCK_QUEUE, Labels.of(MongoMetrics.QUEUE, "writers"), number(queue, "writers"));
        Document repl = sub(status, "repl");
        if (repl != null) {
            // "ismaster" before 4.4's hello, "isWritablePrimary" after.
            Object primary = repl.containsKey("isWritablePrimary") ? repl.get("isWritablePrimary") : repl.get("ismaster");
            if (primary instanceof Boolean b) {
                gauge(out, MongoMetrics.PRIMARY, Labels.EMPTY, b ? 1.0 : 0.0);
            }
        }
    }

    /** True when serverStatus says this node is a replica-set member (replSetGetStatus would answer). */
    static boolean inReplicaSet(Document status) {
        Document repl = sub(status, "repl");
        return repl != null && repl.get("setName") != null;
    }

    /**
     * From {@code replSetGetStatus}: every member's state and health as this node sees them, and the
     * lag of each secondary behind the primary's last applied operation. Without a primary in view no
     * lag is reported (there is nothing to be behind of).
     */
    static void replSetStatus(Document rs, List<Reading> out) {
        List<Document> members = rs.getList("members", Document.class, List.of());
        Date primaryOptime = null;
        for (Document m : members) {
            if (intOf(m.get("state")) == 1) {
                primaryOptime = optimeDate(m);
            }
        }
        for (Document m : members) {
            String name = m.getString("name");
            if (name == null) {
                continue;
            }
            Labels member = Labels.of(MongoMetrics.MEMBER, name);
            int state = intOf(m.get("state"));
            gauge(out, MongoMetrics.MEMBER_STATE, member, (double) state);
            Double health = number(m, "health");
            if (health != null) {
                gauge(out, MongoMetrics.MEMBER_HEALTHY, member, health >= 1 ? 1.0 : 0.0);
            }
            Date optime = optimeDate(m);
            if (state == 2 && primaryOptime != null && optime != null) {
                gauge(out, MongoMetrics.MEMBER_LAG, member, Math.max(0, primaryOptime.getTime() - optime.getTime()) / 1000.0);
            }
        }
    }

    /**
     * The oplog window from the first and last entries of {@code local.oplog.rs} (in natural order): the
     * seconds between their {@code ts}. Either may be null (an arbiter has no oplog, an empty one has no
     * entries), and then there is no window.
     */
    static void oplogWindow(Document firstEntry, Document lastEntry, List<Reading> out) {
        BsonTimestamp first = ts(firstEntry);
        BsonTimestamp last = ts(lastEntry);
        if (first != null && last != null) {
            gauge(out, MongoMetrics.OPLOG_WINDOW, Labels.EMPTY, (double) Math.max(0, last.getTime() - first.getTime()));
        }
    }

    private static BsonTimestamp ts(Document entry) {
        return entry != null && entry.get("ts") instanceof BsonTimestamp t ? t : null;
    }

    private static Date optimeDate(Document m) {
        Object d = m.get("optimeDate");
        return d instanceof Date date && date.getTime() > 0 ? date : null;
    }

    private static Document sub(Document d, String key) {
        return d != null && d.get(key) instanceof Document s ? s : null;
    }

    private static Double number(Document d, String key) {
        return d != null && d.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    private static int intOf(Object o) {
        return o instanceof Number n ? n.intValue() : -1;
    }

    private static void gauge(List<Reading> out, String metric, Labels labels, Double value) {
        if (value != null) {
            out.add(new Reading(metric, labels, value, false));
        }
    }
}
