package io.vigil.collector.redis;

import io.vigil.collector.CounterDeltaRatio;
import io.vigil.collector.Reading;
import io.vigil.model.Labels;

import java.util.ArrayList;
import java.util.List;

import static io.vigil.collector.redis.RedisMetrics.*;

/**
 * Maps a Redis server's INFO to readings. A value the server does not report yields no reading.
 * Keeps the previous keyspace hit/miss totals for the hit ratio: one instance per target.
 */
final class RedisInfoMetrics {

    private final CounterDeltaRatio keyspaceHits = new CounterDeltaRatio();

    List<Reading> read(RedisInfo info) {
        var out = new ArrayList<Reading>();
        String role = info.text("role");
        if (role != null) {
            out.add(Reading.gauge(MASTER, info.isMaster() ? 1 : 0));
        }
        info.number("connected_clients").ifPresent(v -> out.add(Reading.gauge(CONNECTED_CLIENTS, v)));
        memory(info, out);
        // Redis's own estimate over its last ~1.6 s of samples: what redis-cli and most dashboards show.
        info.number("instantaneous_ops_per_sec").ifPresent(v -> out.add(Reading.gauge(INSTANTANEOUS_OPS, v)));
        // Every command over the whole scrape interval: short bursts between two scrapes are not lost.
        info.number("total_commands_processed").ifPresent(v -> out.add(Reading.counter(COMMANDS, v)));
        hitRatio(info, out);
        info.number("evicted_keys").ifPresent(v -> out.add(Reading.counter(EVICTED_KEYS, v)));
        info.number("expired_keys").ifPresent(v -> out.add(Reading.counter(EXPIRED_KEYS, v)));
        replication(info, out);
        status(info, "rdb_last_bgsave_status", RDB_LAST_BGSAVE_OK, out);
        status(info, "aof_last_write_status", AOF_LAST_WRITE_OK, out);
        info.keyspace().forEach((db, keys) -> out.add(new Reading(KEYS, Labels.of(DB, db), keys, false)));
        return out;
    }

    /** After a failed scrape: the next interval must not span the gap's possible restart. */
    void reset() {
        keyspaceHits.reset();
    }

    private static void memory(RedisInfo info, List<Reading> out) {
        var used = info.number("used_memory");
        var max = info.number("maxmemory");
        used.ifPresent(v -> out.add(Reading.gauge(MEMORY_USED, v)));
        // maxmemory 0 means no limit: no max and no ratio, rather than a limit of 0 bytes.
        if (max.isPresent() && max.getAsDouble() > 0) {
            out.add(Reading.gauge(MEMORY_MAX, max.getAsDouble()));
            used.ifPresent(v -> out.add(Reading.gauge(MEMORY_USED_RATIO, v / max.getAsDouble())));
        }
    }

    /** Over the last interval, not since startup: this minute's misses must not hide behind months of hits. */
    private void hitRatio(RedisInfo info, List<Reading> out) {
        var hits = info.number("keyspace_hits");
        var misses = info.number("keyspace_misses");
        if (hits.isEmpty() || misses.isEmpty()) {
            return;
        }
        keyspaceHits.update(hits.getAsDouble(), hits.getAsDouble() + misses.getAsDouble())
                .ifPresent(v -> out.add(Reading.gauge(KEYSPACE_HIT_RATIO, v)));
    }

    private static void replication(RedisInfo info, List<Reading> out) {
        if (info.isMaster()) {
            info.number("connected_slaves").ifPresent(v -> out.add(Reading.gauge(CONNECTED_REPLICAS, v)));
            var masterOffset = info.number("master_repl_offset");
            if (masterOffset.isEmpty()) {
                return;
            }
            for (var replica : info.replicas()) {
                // The replica's offset is what it last acknowledged (once a second): lag in bytes of replication stream.
                replica.offset().ifPresent(offset -> out.add(new Reading(REPLICA_OFFSET_LAG,
                        Labels.of(REPLICA, replica.address()), Math.max(0, masterOffset.getAsDouble() - offset), false)));
            }
        } else {
            String link = info.text("master_link_status");
            if (link != null) {
                out.add(Reading.gauge(MASTER_LINK_UP, link.equals("up") ? 1 : 0));
            }
        }
    }

    private static void status(RedisInfo info, String field, String metric, List<Reading> out) {
        String value = info.text(field);
        if (value != null) {
            out.add(Reading.gauge(metric, value.equals("ok") ? 1 : 0));
        }
    }
}
