package io.vigil.ingest;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Plain PostgreSQL: {@code samples} is range-partitioned by {@code time}, one partition per UTC
 * day named {@code samples_pYYYYMMDD}. There is deliberately no default partition: a row for a
 * day without a partition must fail loudly (the writer creates partitions first), and a default
 * partition would make every later {@code CREATE … PARTITION OF} scan it.
 */
public final class PartitionedLayout implements StoreLayout {

    private static final Logger LOG = Logger.getLogger(PartitionedLayout.class);
    static final String PREFIX = "samples_p";
    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final Pattern NAME = Pattern.compile(PREFIX + "(\\d{8})");

    private final StoreSettings settings;
    /** Days known to have a partition; loaded from the catalog on first use. */
    private final Set<LocalDate> known = ConcurrentHashMap.newKeySet();
    private volatile boolean loaded;

    public PartitionedLayout(StoreSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "partitioned";
    }

    @Override
    public List<String> ddl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS samples (time timestamptz NOT NULL, series_id bigint NOT NULL,"
                        + " value double precision) PARTITION BY RANGE (time)",
                // BRIN: a few pages per partition answer "which blocks hold this time range" for rollups and scans.
                "CREATE INDEX IF NOT EXISTS samples_time_brin ON samples USING brin (time)",
                // The read path always asks for some series over a time range.
                "CREATE INDEX IF NOT EXISTS samples_series_time ON samples (series_id, time)");
    }

    public static String partitionName(LocalDate day) {
        return PREFIX + SUFFIX.format(day);
    }

    /** The day of a partition named by this layout, empty for any other table. */
    static Optional<LocalDate> dayOf(String tableName) {
        var m = NAME.matcher(tableName);
        return m.matches() ? Optional.of(LocalDate.parse(m.group(1), SUFFIX)) : Optional.empty();
    }

    @Override
    public void ensureDays(Connection c, Set<LocalDate> days) throws SQLException {
        if (!loaded) {
            known.addAll(existingPartitions(c).stream().map(n -> dayOf(n).orElseThrow()).toList());
            loaded = true;
        }
        var missing = new TreeSet<LocalDate>();
        for (LocalDate day : days) {
            if (!known.contains(day)) {
                missing.add(day);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        Tx.run(c, tx -> {
            // CREATE … PARTITION OF locks the parent; two processes creating the same day at once would
            // otherwise race on the catalog (duplicate key in pg_type) despite IF NOT EXISTS.
            AdvisoryLocks.lockSchema(tx);
            for (LocalDate day : missing) {
                createPartition(tx, day);
            }
            return null;
        });
        known.addAll(missing);
    }

    private static void createPartition(Connection c, LocalDate day) throws SQLException {
        String name = partitionName(day);
        String sql = "CREATE TABLE IF NOT EXISTS " + name + " PARTITION OF samples FOR VALUES FROM ('"
                + day + " 00:00:00+00') TO ('" + day.plusDays(1) + " 00:00:00+00')";
        try (var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new SQLException("creating partition " + name + " failed: " + e.getMessage(), e.getSQLState(), e);
        }
        LOG.debugf("partition %s ready", name);
    }

    @Override
    public void premake(Connection c, Instant now) throws SQLException {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        var days = new TreeSet<LocalDate>();
        for (int i = 0; i <= settings.premakeDays(); i++) {
            days.add(today.plusDays(i));
        }
        ensureDays(c, days);
    }

    /**
     * Drops each partition whose whole day ended at least {@link StoreSettings#retention()} ago.
     * The writer refuses points older than the same cutoff, so it never needs a dropped partition.
     */
    @Override
    public List<String> dropExpired(Connection c, Instant now) throws SQLException {
        Instant cutoff = now.minus(settings.retention());
        return Tx.run(c, tx -> {
            AdvisoryLocks.lockSchema(tx);
            var dropped = new ArrayList<String>();
            for (String name : existingPartitions(tx)) {
                LocalDate day = dayOf(name).orElseThrow();
                Instant end = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
                if (!end.isAfter(cutoff)) {
                    try (var st = tx.createStatement()) {
                        st.execute("DROP TABLE IF EXISTS " + name);
                    } catch (SQLException e) {
                        throw new SQLException("dropping expired partition " + name + " failed: " + e.getMessage(), e.getSQLState(), e);
                    }
                    known.remove(day);
                    dropped.add(name);
                }
            }
            return dropped;
        });
    }

    @Override
    public void forgetCachedState() {
        loaded = false;
        known.clear();
    }

    /** Names of this layout's day partitions of {@code samples}, oldest first. */
    static List<String> existingPartitions(Connection c) throws SQLException {
        var names = new ArrayList<String>();
        try (var st = c.prepareStatement("""
                SELECT child.relname FROM pg_inherits i
                JOIN pg_class child ON child.oid = i.inhrelid
                WHERE i.inhparent = 'samples'::regclass ORDER BY child.relname""");
             var rs = st.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(1);
                if (dayOf(name).isPresent()) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
