package io.vigil.ingest;

import org.apache.kafka.common.TopicPartition;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The next Kafka offset to write, per (consumer group, topic, partition), kept in PostgreSQL and
 * moved in the same transaction as the points. This table, not Kafka's committed offset, is the
 * truth: Kafka's commit happens after the database commit and may be lost in a crash.
 */
public final class OffsetStore {

    private final DataSource dataSource;
    private final String group;

    public OffsetStore(DataSource dataSource, String consumerGroup) {
        this.dataSource = dataSource;
        this.group = consumerGroup;
    }

    public String consumerGroup() {
        return group;
    }

    /** Stored next offsets of those {@code partitions} that have one. */
    public Map<TopicPartition, Long> load(Collection<TopicPartition> partitions) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return load(c, partitions, false);
        }
    }

    /**
     * Within a transaction: takes each partition's advisory lock (in a fixed order), then reads
     * its stored offset. The lock makes a second writer of the same partition (a zombie after a
     * rebalance) wait, then see the offsets the first one committed and skip what it wrote.
     */
    Map<TopicPartition, Long> lockAndLoad(Connection tx, Collection<TopicPartition> partitions) throws SQLException {
        return load(tx, partitions, true);
    }

    private Map<TopicPartition, Long> load(Connection c, Collection<TopicPartition> partitions, boolean lock) throws SQLException {
        var result = new HashMap<TopicPartition, Long>();
        if (partitions.isEmpty()) {
            return result;
        }
        var sorted = partitions.stream().distinct()
                .sorted((a, b) -> a.topic().equals(b.topic()) ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()))
                .toList();
        if (lock) {
            for (TopicPartition tp : sorted) {
                AdvisoryLocks.lockPartition(c, group, tp.topic(), tp.partition());
            }
        }
        try (var st = c.prepareStatement(
                "SELECT next_offset FROM ingest_offsets WHERE consumer_group = ? AND topic = ? AND partition = ?")) {
            for (TopicPartition tp : sorted) {
                st.setString(1, group);
                st.setString(2, tp.topic());
                st.setInt(3, tp.partition());
                try (var rs = st.executeQuery()) {
                    if (rs.next()) {
                        result.put(tp, rs.getLong(1));
                    }
                }
            }
        }
        return result;
    }

    /** Moves the stored offsets forward (never back) inside the caller's transaction. */
    void advance(Connection tx, Map<TopicPartition, Long> nextOffsets) throws SQLException {
        try (var st = tx.prepareStatement("""
                INSERT INTO ingest_offsets (consumer_group, topic, partition, next_offset) VALUES (?, ?, ?, ?)
                ON CONFLICT (consumer_group, topic, partition) DO UPDATE
                SET next_offset = greatest(ingest_offsets.next_offset, excluded.next_offset), updated_at = now()""")) {
            for (var e : nextOffsets.entrySet()) {
                st.setString(1, group);
                st.setString(2, e.getKey().topic());
                st.setInt(3, e.getKey().partition());
                st.setLong(4, e.getValue());
                st.addBatch();
            }
            st.executeBatch();
        }
    }
}
