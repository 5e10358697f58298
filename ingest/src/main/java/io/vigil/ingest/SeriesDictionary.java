package io.vigil.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Series ids by metric and labels. Ids are cached for the life of the process: a series, once
 * created, never changes its id, and almost every point belongs to a series seen before.
 */
final class SeriesDictionary {

    private final Map<SeriesKey, Long> cache = new ConcurrentHashMap<>();

    /**
     * The ids of {@code keys}, creating the missing series inside the caller's transaction.
     * Newly created ids are returned but not cached: should the transaction roll back, they would
     * name series that do not exist. Call {@link #remember} after the commit.
     */
    Resolved resolve(Connection tx, Set<SeriesKey> keys) throws SQLException {
        var ids = new HashMap<SeriesKey, Long>(keys.size() * 2);
        var missing = new ArrayList<SeriesKey>();
        for (SeriesKey key : keys) {
            Long id = cache.get(key);
            if (id != null) {
                ids.put(key, id);
            } else {
                missing.add(key);
            }
        }
        if (missing.isEmpty()) {
            return new Resolved(ids, Map.of(), 0);
        }
        // A stable order: two writers inserting overlapping new series then lock index entries in
        // the same order and cannot deadlock.
        var json = new HashMap<SeriesKey, String>();
        missing.forEach(k -> json.put(k, LabelsJson.write(k.labels())));
        missing.sort(Comparator.comparing(SeriesKey::metric).thenComparing(json::get));
        String[] metrics = missing.stream().map(SeriesKey::metric).toArray(String[]::new);
        String[] labels = missing.stream().map(json::get).toArray(String[]::new);
        int created;
        var fresh = new HashMap<SeriesKey, Long>();

        try (var st = tx.prepareStatement("""
                INSERT INTO series (metric, labels)
                SELECT m, l::jsonb FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS u(m, l, n) ORDER BY n
                ON CONFLICT (metric, labels) DO NOTHING""")) {
            st.setArray(1, tx.createArrayOf("text", metrics));
            st.setArray(2, tx.createArrayOf("text", labels));
            created = st.executeUpdate();
        }
        try (var st = tx.prepareStatement("""
                SELECT s.id, s.metric, s.labels::text FROM series s
                JOIN unnest(?::text[], ?::text[]) AS u(m, l) ON s.metric = u.m AND s.labels = u.l::jsonb""")) {
            st.setArray(1, tx.createArrayOf("text", metrics));
            st.setArray(2, tx.createArrayOf("text", labels));
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    fresh.put(new SeriesKey(rs.getString(2), LabelsJson.read(rs.getString(3))), rs.getLong(1));
                }
            }
        }
        for (SeriesKey key : missing) {
            if (!fresh.containsKey(key)) {
                throw new SQLException("series " + key.metric() + key.labels() + " was neither inserted nor found");
            }
        }
        ids.putAll(fresh);
        return new Resolved(ids, fresh, created);
    }

    /**
     * @param ids     every requested key's id
     * @param fresh   the ids that were not cached yet, to {@link #remember} after the commit
     * @param created how many series this transaction inserted
     */
    record Resolved(Map<SeriesKey, Long> ids, Map<SeriesKey, Long> fresh, int created) {
    }

    /** Caches ids after the transaction that created them committed. */
    void remember(Map<SeriesKey, Long> ids) {
        cache.putAll(ids);
    }

    void clear() {
        cache.clear();
    }

    int size() {
        return cache.size();
    }
}
