package io.vigil.collector.mysql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A MySQL GTID set such as {@code 3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:11-18,
 * 2174B383-5441-11E8-B90A-C80AA9429562:1-3}, including the tagged form of 8.3+
 * ({@code uuid:1-5:mytag:1-3}, where the intervals after a tag belong to that tag).
 */
final class MySqlGtidSet {

    private static final Pattern INTERVAL = Pattern.compile("(\\d+)(?:-(\\d+))?");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]{0,31}");

    private record Interval(long first, long last) {
        long size() {
            return last - first + 1;
        }
    }

    /** Source uuid (plus ":tag" for tagged GTIDs) to its intervals. */
    private final Map<String, List<Interval>> intervals;

    private MySqlGtidSet(Map<String, List<Interval>> intervals) {
        this.intervals = intervals;
    }

    /** Empty for text that is not a GTID set; an empty set for blank text. */
    static Optional<MySqlGtidSet> parse(String text) {
        var map = new HashMap<String, List<Interval>>();
        if (text == null) {
            return Optional.empty();
        }
        for (String member : text.split(",")) {
            String m = member.strip();
            if (m.isEmpty()) {
                continue;
            }
            String[] tokens = m.split(":");
            if (tokens.length < 2 || tokens[0].length() != 36) {
                return Optional.empty();
            }
            String uuid = tokens[0].toLowerCase(java.util.Locale.ROOT);
            String key = uuid;
            for (int i = 1; i < tokens.length; i++) {
                var im = INTERVAL.matcher(tokens[i].strip());
                if (im.matches()) {
                    long first = Long.parseLong(im.group(1));
                    long last = im.group(2) == null ? first : Long.parseLong(im.group(2));
                    if (last < first) {
                        return Optional.empty();
                    }
                    map.computeIfAbsent(key, k -> new ArrayList<>()).add(new Interval(first, last));
                } else if (TAG.matcher(tokens[i].strip()).matches()) {
                    key = uuid + ":" + tokens[i].strip().toLowerCase(java.util.Locale.ROOT);
                } else {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new MySqlGtidSet(map));
    }

    /** How many transactions of this set {@code other} lacks. */
    long countMissingFrom(MySqlGtidSet other) {
        long missing = 0;
        for (var e : intervals.entrySet()) {
            List<Interval> have = other.intervals.getOrDefault(e.getKey(), List.of());
            for (Interval wanted : e.getValue()) {
                missing += wanted.size() - overlap(wanted, have);
            }
        }
        return missing;
    }

    /** Transactions of {@code wanted} that lie in {@code have}; MySQL prints sets merged, so no double counting. */
    private static long overlap(Interval wanted, List<Interval> have) {
        long covered = 0;
        for (Interval h : have) {
            long from = Math.max(wanted.first(), h.first());
            long to = Math.min(wanted.last(), h.last());
            if (from <= to) {
                covered += to - from + 1;
            }
        }
        return covered;
    }
}
