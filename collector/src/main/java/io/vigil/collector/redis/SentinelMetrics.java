package io.vigil.collector.redis;

import io.vigil.collector.Reading;
import io.vigil.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.vigil.collector.redis.RedisMetrics.*;

/** Maps a Sentinel's {@code SENTINEL MASTERS} reply (one field map per monitored master) to readings. */
final class SentinelMetrics {

    /** Flags that mean the sentinel considers the master down: subjectively (alone) or objectively (quorum). */
    private static final Set<String> DOWN = Set.of("s_down", "o_down");

    private SentinelMetrics() {
    }

    static List<Reading> read(List<Map<String, String>> masters) {
        var out = new ArrayList<Reading>();
        for (var master : masters) {
            String name = master.get("name");
            if (name == null) {
                continue;
            }
            var labels = Labels.of(MASTER_NAME, name);
            var flags = Set.of(master.getOrDefault("flags", "").split(","));
            out.add(new Reading(SENTINEL_MASTER_OK, labels, flags.stream().anyMatch(DOWN::contains) ? 0 : 1, false));
            out.add(new Reading(SENTINEL_FAILOVER_IN_PROGRESS, labels, flags.contains("failover_in_progress") ? 1 : 0, false));
            RedisInfo.parseNumber(master.get("num-slaves")).ifPresent(v -> out.add(new Reading(SENTINEL_MASTER_REPLICAS, labels, v, false)));
            // num-other-sentinels leaves out the one answering; the quorum counts it.
            RedisInfo.parseNumber(master.get("num-other-sentinels"))
                    .ifPresent(v -> out.add(new Reading(SENTINEL_MASTER_SENTINELS, labels, v + 1, false)));
            RedisInfo.parseNumber(master.get("quorum")).ifPresent(v -> out.add(new Reading(SENTINEL_QUORUM, labels, v, false)));
        }
        return out;
    }
}
