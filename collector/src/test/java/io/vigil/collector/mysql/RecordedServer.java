package io.vigil.collector.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads the recorded outputs under {@code src/test/resources/recorded/<version>/} (see the README there). */
final class RecordedServer {

    private static final Pattern VERTICAL_ROW = Pattern.compile("^\\*+ \\d+\\. row \\*+$");
    private static final Pattern VERTICAL_FIELD = Pattern.compile("^\\s*([A-Za-z_]+): ?(.*)$");

    /** Every recording of a whole server or of one of its statements; see the README for what each holds. */
    static final List<String> VERSIONS = List.of("mariadb-10.11", "mysql-5.7-status", "mysql-5.7.26-delayed-replica",
            "mysql-5.7.26-sql-thread-stopped", "mysql-8.0-multi-source", "mysql-8.0-replica-caught-up",
            "mysql-8.0.32-percona-source", "handwritten-innodb-metrics");

    private static final List<String> FILES = List.of("global-status-1.tsv", "global-status-2.tsv", "global-variables.tsv",
            "innodb-metrics-1.tsv", "innodb-metrics-2.tsv", "replica-status.txt");

    private RecordedServer() {
    }

    /**
     * The snapshot of scrape 1 or 2 of a recording. A statement the recording does not hold (its file is
     * absent) reads as an empty result; one replica-status.txt serves both scrapes.
     */
    static ServerSnapshot snapshot(String version, int scrape) {
        if (FILES.stream().allMatch(f -> optionalResource(version, f).isEmpty()
                && RecordedServer.class.getResource("/recorded/" + version + "/" + f) == null)) {
            throw new IllegalArgumentException("no recording under /recorded/" + version);
        }
        return new ServerSnapshot(
                pairs(optionalResource(version, "global-status-" + scrape + ".tsv")),
                pairs(optionalResource(version, "global-variables.tsv")),
                pairs(optionalResource(version, "innodb-metrics-" + scrape + ".tsv")),
                vertical(optionalResource(version, "replica-status.txt")));
    }

    /**
     * A recorded Group Replication member under {@code recorded/group-replication/<name>/}: what it
     * printed for replication_group_members ({@code members.tsv}) and replication_group_member_stats
     * ({@code member-stats.txt}), and the few variables and status values named in the README there.
     * A file that was not recorded is absent and reads as an empty result.
     */
    static ServerSnapshot groupMember(String name) {
        String dir = "group-replication/" + name;
        return new ServerSnapshot(
                pairs(optionalResource(dir, "status.tsv")),
                pairs(optionalResource(dir, "variables.tsv")),
                Map.of(),
                List.of(),
                table(optionalResource(dir, "members.tsv")),
                vertical(optionalResource(dir, "member-stats.txt")));
    }

    private static String optionalResource(String version, String file) {
        String path = "/recorded/" + version + "/" + file;
        try (InputStream in = RecordedServer.class.getResourceAsStream(path)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        }
    }

    /** {@code mysql -B} output of any statement: a header row, then one tab-separated row per result row. */
    private static List<Map<String, String>> table(String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty()) {
            return List.of();
        }
        String[] header = lines.getFirst().split("\t", -1);
        var rows = new ArrayList<Map<String, String>>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split("\t", -1);
            var row = new TreeMap<String, String>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], cells[i].equals("NULL") ? null : cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    /** {@code mysql -B} output of a two-column statement; the first line is the header. */
    private static Map<String, String> pairs(String text) {
        var map = new HashMap<String, String>();
        text.lines().skip(1).forEach(line -> {
            int tab = line.indexOf('\t');
            String value = line.substring(tab + 1);
            if (!value.equals("NULL")) {
                map.put(line.substring(0, tab), value);
            }
        });
        return map;
    }

    /** {@code \G} output; a line without "Name:" continues the previous value (GTID sets span lines). */
    private static List<Map<String, String>> vertical(String text) {
        var rows = new ArrayList<Map<String, String>>();
        Map<String, String> row = null;
        String lastKey = null;
        for (String line : text.lines().toList()) {
            if (VERTICAL_ROW.matcher(line).matches()) {
                row = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                rows.add(row);
                continue;
            }
            var field = VERTICAL_FIELD.matcher(line);
            if (field.matches()) {
                lastKey = field.group(1);
                row.put(lastKey, field.group(2).equals("NULL") ? null : field.group(2));
            } else if (lastKey != null && !line.isBlank()) {
                row.put(lastKey, row.get(lastKey) + "\n" + line);
            }
        }
        return rows;
    }
}
