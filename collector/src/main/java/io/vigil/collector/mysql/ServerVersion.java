package io.vigil.collector.mysql;

import java.util.regex.Pattern;

/**
 * Which server a target runs, from the version string of the connection handshake; decides
 * which statements a scrape sends. Unknown strings count as MySQL 0.0.0: the oldest spelling of
 * every statement, which every version still understands.
 */
record ServerVersion(boolean mariaDb, int major, int minor, int patch) {

    private static final Pattern NUMBERS = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");

    static ServerVersion parse(String version) {
        String v = version == null ? "" : version;
        boolean mariaDb = v.toLowerCase(java.util.Locale.ROOT).contains("mariadb");
        // Old MariaDB handshakes carry a fake "5.5.5-" prefix so that old MySQL replicas accept them.
        if (mariaDb && v.startsWith("5.5.5-")) {
            v = v.substring("5.5.5-".length());
        }
        var m = NUMBERS.matcher(v);
        if (!m.find()) {
            return new ServerVersion(mariaDb, 0, 0, 0);
        }
        return new ServerVersion(mariaDb, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)));
    }

    boolean atLeast(int major, int minor, int patch) {
        if (this.major != major) {
            return this.major > major;
        }
        if (this.minor != minor) {
            return this.minor > minor;
        }
        return this.patch >= patch;
    }

    /**
     * MariaDB lists every named connection only with {@code SHOW ALL SLAVES STATUS}; MySQL lists
     * every channel with one statement, renamed to REPLICA (and its columns to Source/Replica) in 8.0.22.
     */
    String replicationStatusSql() {
        if (mariaDb) {
            return "SHOW ALL SLAVES STATUS";
        }
        return atLeast(8, 0, 22) ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
    }

    /** MariaDB has deadlocks and history length in SHOW GLOBAL STATUS; MySQL only in INNODB_METRICS. */
    boolean needsInnodbMetrics() {
        return !mariaDb;
    }

    /** MySQL has had the group replication tables since 5.7.17; MariaDB has no group replication. */
    boolean hasGroupReplication() {
        return !mariaDb && atLeast(5, 7, 17);
    }

    @Override
    public String toString() {
        return (mariaDb ? "MariaDB " : "MySQL ") + major + "." + minor + "." + patch;
    }
}
