package io.vigil.ingest;

import io.vigil.model.Labels;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Series ids by metric and labels. Ids are cached for the life of the process: a series, once
 * created, never changes its id, and almost every point belongs to a series seen before.
 *
 * <p>The cache is keyed the way points arrive: by the batch's target labels, then by metric and the
 * sample's own labels. A hit thus costs one lookup of the target's label set per batch and one cheap
 * lookup per point, without merging label sets; and a target's labels are held once, not per series.
 */
final class SeriesDictionary {

    /** A sample's own part of its series: the metric and the labels beyond its target's. */
    record SampleKey(String metric, Labels labels) {
    }

    private final Map<Labels, Map<SampleKey, Long>> cache = new ConcurrentHashMap<>();

    /** The cached ids of a target's series, by sample key; null when none is cached. */
    Map<SampleKey, Long> cached(Labels targetLabels) {
        return cache.get(targetLabels);
    }

    /**
     * The ids of {@code keys} (not cached), creating the missing series inside the caller's transaction, as far as
     * the guard admits them; a refused key has no id in the result. Newly created ids are returned
     * but not cached: should the transaction roll back, they would name series that do not exist.
     * Call {@link #remember} after the commit.
     *
     * @param keys each series with the target whose batch brings it (the owner, should it be created)
     */
    Resolved resolve(Connection tx, Map<SeriesKey, String> keys, CardinalityGuard guard) throws SQLException {
        var missing = new ArrayList<>(keys.keySet());
        if (missing.isEmpty()) {
            return new Resolved(Map.of(), Map.of(), 0);
        }
        var fresh = new HashMap<SeriesKey, Long>();
        find(tx, missing, fresh);
        var candidates = new LinkedHashMap<SeriesKey, String>();
        for (SeriesKey key : missing) {
            if (!fresh.containsKey(key)) {
                candidates.put(key, keys.get(key));
            }
        }
        var createdByTarget = new HashMap<String, Integer>();
        int refused = 0;
        if (!candidates.isEmpty()) {
            Set<SeriesKey> admitted = guard.admit(tx, candidates);
            refused = candidates.size() - admitted.size();
            var toCreate = new ArrayList<>(admitted);
            insert(tx, toCreate, candidates, createdByTarget);
            find(tx, toCreate, fresh);
            for (SeriesKey key : toCreate) {
                if (!fresh.containsKey(key)) {
                    throw new SQLException("series " + key.metric() + key.labels() + " was neither inserted nor found");
                }
            }
        }
        return new Resolved(fresh, createdByTarget, refused);
    }

    /** Adds the ids of those {@code keys} that exist to {@code into}. */
    private static void find(Connection tx, List<SeriesKey> keys, Map<SeriesKey, Long> into) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        String[] metrics = keys.stream().map(SeriesKey::metric).toArray(String[]::new);
        String[] labels = keys.stream().map(k -> LabelsJson.write(k.labels())).toArray(String[]::new);
        try (var st = tx.prepareStatement("""
                SELECT s.id, s.metric, s.labels::text FROM series s
                JOIN unnest(?::text[], ?::text[]) AS u(m, l) ON s.metric = u.m AND s.labels = u.l::jsonb""")) {
            st.setArray(1, tx.createArrayOf("text", metrics));
            st.setArray(2, tx.createArrayOf("text", labels));
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    into.put(new SeriesKey(rs.getString(2), LabelsJson.read(rs.getString(3))), rs.getLong(1));
                }
            }
        }
    }

    /** Inserts the series, owned by their targets; counts what this transaction really inserted, by target. */
    private static void insert(Connection tx, List<SeriesKey> keys, Map<SeriesKey, String> targets,
                               Map<String, Integer> createdByTarget) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        // A stable order: two writers inserting overlapping new series then lock index entries in
        // the same order and cannot deadlock.
        var json = new HashMap<SeriesKey, String>();
        keys.forEach(k -> json.put(k, LabelsJson.write(k.labels())));
        keys.sort(Comparator.comparing(SeriesKey::metric).thenComparing(json::get));
        String[] metrics = keys.stream().map(SeriesKey::metric).toArray(String[]::new);
        String[] labels = keys.stream().map(json::get).toArray(String[]::new);
        String[] owners = keys.stream().map(targets::get).toArray(String[]::new);
        try (var st = tx.prepareStatement("""
                INSERT INTO series (metric, labels, target)
                SELECT m, l::jsonb, t FROM unnest(?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS u(m, l, t, n) ORDER BY n
                ON CONFLICT (metric, labels) DO NOTHING RETURNING target""")) {
            st.setArray(1, tx.createArrayOf("text", metrics));
            st.setArray(2, tx.createArrayOf("text", labels));
            st.setArray(3, tx.createArrayOf("text", owners));
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    createdByTarget.merge(rs.getString(1), 1, Integer::sum);
                }
            }
        }
    }

    /**
     * @param ids             the id of every requested key that exists now (refused keys have none), to
     *                        {@link #remember} after the commit
     * @param createdByTarget how many series this transaction inserted, by owning target
     * @param refused         how many new series the guard refused
     */
    record Resolved(Map<SeriesKey, Long> ids, Map<String, Integer> createdByTarget, int refused) {

        int created() {
            return createdByTarget.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Caches the id of a series under the target labels and sample key it arrived with, once its transaction committed. */
    void remember(Labels targetLabels, SampleKey sample, long id) {
        cache.computeIfAbsent(targetLabels, k -> new ConcurrentHashMap<>()).put(sample, id);
    }
}
