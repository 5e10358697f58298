package io.vigil.ingest;

import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides which new series may be created (see {@link SeriesLimits}). Series that exist already are
 * never refused: a target over its limit keeps every series it has, only its new ones are dropped,
 * counted, and reported in a log line that names the target and an example series.
 *
 * <p>Counts per target are loaded from the {@code series} table on first use, then kept in memory.
 * Several ingest processes each count what they create, so together they may pass a limit by what
 * the others created since their start; the store reloads counts at every restart.
 */
final class CardinalityGuard {

    private static final Logger LOG = Logger.getLogger(CardinalityGuard.class);
    private static final Duration WINDOW = Duration.ofHours(1);
    /** One log line per offender and cause per this period, with the number refused meanwhile. */
    static final Duration REPORT_EVERY = Duration.ofMinutes(10);

    private final SeriesLimits limits;
    private final Clock clock;
    private final Map<String, Integer> perTarget = new HashMap<>();
    /** Creation times and counts of the last hour's new series, oldest first. */
    private final ArrayDeque<long[]> recent = new ArrayDeque<>();
    private long recentTotal;
    private boolean loaded;
    private final Map<String, Report> reports = new HashMap<>();
    private final AtomicLong refused = new AtomicLong();

    CardinalityGuard(SeriesLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Series refused since the start. */
    long refused() {
        return refused.get();
    }

    /**
     * Of {@code candidates} (series that exist neither in the cache nor in the store, with the target
     * whose batch brings each), those that may be created now.
     */
    synchronized Set<SeriesKey> admit(Connection tx, Map<SeriesKey, String> candidates) throws SQLException {
        if (limits.maxPerTarget() == 0 && limits.maxNewPerHour() == 0) {
            return candidates.keySet();
        }
        if (!loaded && limits.maxPerTarget() > 0) {
            load(tx);
        }
        long now = clock.millis();
        expire(now);
        var admitted = new HashSet<SeriesKey>();
        var planned = new HashMap<String, Integer>();
        var refusedHere = new LinkedHashMap<String, Refusal>();
        for (var e : candidates.entrySet()) {
            String target = e.getValue();
            int owned = perTarget.getOrDefault(target, 0) + planned.getOrDefault(target, 0);
            if (limits.maxPerTarget() > 0 && owned >= limits.maxPerTarget()) {
                refusedHere.computeIfAbsent(target + "\u0000target", k -> new Refusal(target, Cause.PER_TARGET, owned, e.getKey())).count++;
            } else if (limits.maxNewPerHour() > 0 && recentTotal + admitted.size() >= limits.maxNewPerHour()) {
                refusedHere.computeIfAbsent(target + "\u0000hour", k -> new Refusal(target, Cause.PER_HOUR, owned, e.getKey())).count++;
            } else {
                admitted.add(e.getKey());
                planned.merge(target, 1, Integer::sum);
            }
        }
        refusedHere.values().forEach(r -> report(r, now));
        return admitted;
    }

    /** Counts the series a committed transaction created, by target. */
    synchronized void created(Map<String, Integer> byTarget) {
        int total = 0;
        for (var e : byTarget.entrySet()) {
            perTarget.merge(e.getKey(), e.getValue(), Integer::sum);
            total += e.getValue();
        }
        if (total > 0) {
            recent.addLast(new long[]{clock.millis(), total});
            recentTotal += total;
        }
    }

    /** Forgets the counts, so the next admission reloads them (after a failed write, another process may have written). */
    synchronized void forget() {
        loaded = false;
        perTarget.clear();
    }

    private void load(Connection tx) throws SQLException {
        perTarget.clear();
        try (var st = tx.prepareStatement("SELECT coalesce(target, ''), count(*) FROM series GROUP BY 1");
             var rs = st.executeQuery()) {
            while (rs.next()) {
                perTarget.put(rs.getString(1), rs.getInt(2));
            }
        }
        loaded = true;
    }

    private void expire(long now) {
        while (!recent.isEmpty() && recent.peekFirst()[0] <= now - WINDOW.toMillis()) {
            recentTotal -= recent.pollFirst()[1];
        }
    }

    private enum Cause { PER_TARGET, PER_HOUR }

    private static final class Refusal {
        final String target;
        final Cause cause;
        final int owned;
        final SeriesKey example;
        int count;

        Refusal(String target, Cause cause, int owned, SeriesKey example) {
            this.target = target;
            this.cause = cause;
            this.owned = owned;
            this.example = example;
        }
    }

    private static final class Report {
        long lastMillis;
        long pending;
    }

    private void report(Refusal r, long now) {
        refused.addAndGet(r.count);
        Report report = reports.computeIfAbsent(r.target + '\u0000' + r.cause, k -> new Report());
        report.pending += r.count;
        if (report.lastMillis != 0 && now - report.lastMillis < REPORT_EVERY.toMillis()) {
            return;
        }
        String example = r.example.metric() + r.example.labels();
        if (r.cause == Cause.PER_TARGET) {
            LOG.warnf("target %s has %d series, the limit vigil.ingest.max-series-per-target=%d: refused %d new series"
                            + " since the last report, e.g. %s; its existing series are still stored (a label with unbounded values?)",
                    r.target, r.owned, limits.maxPerTarget(), report.pending, example);
        } else {
            LOG.warnf("the store created %d series in the last hour, the limit vigil.ingest.max-new-series-per-hour=%d:"
                            + " refused %d new series of target %s since the last report, e.g. %s",
                    recentTotal, limits.maxNewPerHour(), report.pending, r.target, example);
        }
        report.lastMillis = now;
        report.pending = 0;
    }
}
