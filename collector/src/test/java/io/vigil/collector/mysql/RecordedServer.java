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

    static final List<String> VERSIONS = List.of("mariadb-10.11", "mysql-5.7", "mysql-8.0");

    private RecordedServer() {
    }

    /** The snapshot of scrape 1 or 2 of a recorded server. */
    static ServerSnapshot snapshot(String version, int scrape) {
        return new ServerSnapshot(
                pairs(resource(version, "global-status-" + scrape + ".tsv")),
                pairs(resource(version, "global-variables.tsv")),
                pairs(resource(version, "innodb-metrics-" + scrape + ".tsv")),
                vertical(resource(version, "replica-status.txt")));
    }

    private static String resource(String version, String file) {
        String path = "/recorded/" + version + "/" + file;
        try (InputStream in = RecordedServer.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        }
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
