package io.vigil.collector.redis;

import io.vigil.collector.CounterRates;
import io.vigil.collector.Reading;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.vigil.collector.redis.RedisMetrics.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** INFO and SENTINEL MASTERS as Redis 7.0 (captured) and 5.0 (hand-written) print them; see recorded/README.md. */
class RedisRecordedTest {

    private static String resource(String path) {
        try (InputStream in = RedisRecordedTest.class.getResourceAsStream("/recorded/" + path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("no test resource " + path, e);
        }
    }

    /** Metric (with its labels) to value; the labels' values, if any, follow the name after '/'. */
    private static Map<String, Double> byName(List<? extends Object> items) {
        var out = new HashMap<String, Double>();
        for (Object o : items) {
            String metric;
            Labels labels;
            double value;
            if (o instanceof Reading r) {
                metric = r.metric();
                labels = r.labels();
                value = r.value();
            } else {
                var s = (Sample) o;
                metric = s.metric();
                labels = s.labels();
                value = s.value();
            }
            out.put(labels.equals(Labels.EMPTY) ? metric : metric + "/" + String.join(",", labels.asMap().values()), value);
        }
        return out;
    }

    @Test
    void redis70MasterWithOneReplica() {
        var m = byName(new RedisInfoMetrics().read(RedisInfo.parse(resource("redis-7.0/info-master.txt"))));
        assertThat(m).containsEntry(MASTER, 1.0)
                .containsEntry(CONNECTED_REPLICAS, 1.0)
                .containsEntry(REPLICA_OFFSET_LAG + "/127.0.0.1:36380", 377.0 - 291.0)
                .containsEntry(MEMORY_USED, 1232880.0)
                .containsEntry(RDB_LAST_BGSAVE_OK, 1.0)
                .containsEntry(AOF_LAST_WRITE_OK, 1.0)
                .containsEntry(KEYS + "/db0", 2.0)
                .containsEntry(INSTANTANEOUS_OPS, 7.0)
                .doesNotContainKeys(MEMORY_MAX, MEMORY_USED_RATIO, MASTER_LINK_UP); // maxmemory 0: no limit
        assertThat(m.get(CONNECTED_CLIENTS)).isPositive();
    }

    @Test
    void redis70ReplicaHasItsLinkAndNoReplicas() {
        var m = byName(new RedisInfoMetrics().read(RedisInfo.parse(resource("redis-7.0/info-replica.txt"))));
        assertThat(m).containsEntry(MASTER, 0.0)
                .containsEntry(MASTER_LINK_UP, 1.0)
                .containsEntry(KEYS + "/db0", 2.0)
                .doesNotContainKeys(CONNECTED_REPLICAS);
        assertThat(m.keySet()).noneMatch(k -> k.startsWith(REPLICA_OFFSET_LAG));
    }

    @Test
    void redis50RatesRatiosAndLimitsOverTenSeconds() {
        var metrics = new RedisInfoMetrics();
        var rates = new CounterRates();
        rates.apply(metrics.read(RedisInfo.parse(resource("redis-5.0/info-master.txt"))), 10_000);
        var samples = rates.apply(metrics.read(RedisInfo.parse(resource("redis-5.0/info-master-10s-later.txt"))), 20_000);
        var m = byName(samples);
        assertThat(m.get(COMMANDS)).isCloseTo(24_000.0, within(1e-6));
        assertThat(m.get(INSTANTANEOUS_OPS)).isEqualTo(23_881.0);
        assertThat(m.get(KEYSPACE_HIT_RATIO)).isCloseTo(180_000.0 / 200_000, within(1e-12)); // lifetime would say 0.945
        assertThat(m.get(EVICTED_KEYS)).isCloseTo(20.0, within(1e-9));
        assertThat(m.get(EXPIRED_KEYS)).isCloseTo(10.0, within(1e-9));
        assertThat(m.get(MEMORY_MAX)).isEqualTo(4294967296.0);
        assertThat(m.get(MEMORY_USED_RATIO)).isCloseTo(0.75, within(1e-12));
        assertThat(m).containsEntry(RDB_LAST_BGSAVE_OK, 0.0)
                .containsEntry(AOF_LAST_WRITE_OK, 1.0)
                .containsEntry(CONNECTED_CLIENTS, 412.0)
                .containsEntry(REPLICA_OFFSET_LAG + "/10.0.0.12:6379", 576.0)
                .containsEntry(REPLICA_OFFSET_LAG + "/10.0.0.13:6379", 48576.0)
                .containsEntry(KEYS + "/db0", 1823311.0)
                .containsEntry(KEYS + "/db3", 12.0);
    }

    @Test
    void redis70SentinelSeesItsMasterUpWithOneReplica() {
        var master = new HashMap<String, String>();
        resource("redis-7.0/sentinel-masters.tsv").lines().forEach(line -> {
            var kv = line.split("\t", 2);
            master.put(kv[0], kv.length > 1 ? kv[1] : "");
        });
        var m = byName(SentinelMetrics.read(List.of(master)));
        assertThat(m).containsEntry(SENTINEL_MASTER_OK + "/mymaster", 1.0)
                .containsEntry(SENTINEL_MASTER_REPLICAS + "/mymaster", 1.0)
                .containsEntry(SENTINEL_MASTER_SENTINELS + "/mymaster", 1.0)
                .containsEntry(SENTINEL_QUORUM + "/mymaster", 1.0)
                .containsEntry(SENTINEL_FAILOVER_IN_PROGRESS + "/mymaster", 0.0);

        master.put("flags", "master,s_down,o_down,failover_in_progress");
        assertThat(byName(SentinelMetrics.read(List.of(master))))
                .containsEntry(SENTINEL_MASTER_OK + "/mymaster", 0.0)
                .containsEntry(SENTINEL_FAILOVER_IN_PROGRESS + "/mymaster", 1.0);
    }

    /** Keeps the registry (and through it docs/metrics.md) honest: it lists exactly what the mappers emit. */
    @Test
    void theRegistryListsExactlyWhatTheRecordedOutputsEmit() {
        var emitted = new TreeSet<String>();
        var metrics = new RedisInfoMetrics();
        var rates = new CounterRates();
        rates.apply(metrics.read(RedisInfo.parse(resource("redis-5.0/info-master.txt"))), 10_000);
        rates.apply(metrics.read(RedisInfo.parse(resource("redis-5.0/info-master-10s-later.txt"))), 20_000)
                .forEach(s -> emitted.add(s.metric()));
        new RedisInfoMetrics().read(RedisInfo.parse(resource("redis-7.0/info-replica.txt"))).forEach(r -> emitted.add(r.metric()));
        SentinelMetrics.read(List.of(Map.of("name", "m", "flags", "master", "num-slaves", "1",
                "num-other-sentinels", "2", "quorum", "2"))).forEach(r -> emitted.add(r.metric()));
        assertThat(emitted).containsExactlyInAnyOrderElementsOf(RedisMetrics.ALL);
    }
}
