package io.vigil.logs.digest;

import io.vigil.logs.fingerprint.FingerprintOptions;
import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.slowlog.SlowLogEntry;
import io.vigil.logs.slowlog.SlowLogParser;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.vigil.logs.fingerprint.PtFingerprintCompatibilityTestAccess.ptFingerprint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real MariaDB writes the slow log ({@code long_query_time=0}) for a sysbench-style workload plus a few
 * awkward statements; the parser, the fingerprint and {@code vigil digest} are checked against it and against
 * pt-fingerprint and pt-query-digest run on the same bytes.
 */
@WithServices(MariaDb.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealMariaDbSlowLogTest {

    private static final int ROUNDS = 20;

    private final MariaDb mariaDb;
    private Path log;
    private final List<SlowLogEntry> entries = new ArrayList<>();
    private long errors = -1;

    RealMariaDbSlowLogTest(MariaDb mariaDb) {
        this.mariaDb = mariaDb;
    }

    @BeforeAll
    void produceSlowLog(@TempDir Path dir) throws IOException {
        mariaDb.sql("CREATE DATABASE IF NOT EXISTS slowlog_it; CREATE TABLE IF NOT EXISTS slowlog_it.sbtest1 "
                + "(id INT PRIMARY KEY, k INT NOT NULL, c CHAR(120) NOT NULL, pad CHAR(60) NOT NULL); "
                + "TRUNCATE slowlog_it.sbtest1; SET GLOBAL long_query_time=0");
        long start = Files.size(mariaDb.slowLogPath());
        try {
            mariaDb.sql(workload());
        } finally {
            mariaDb.sql("SET GLOBAL long_query_time=1");
        }
        // Only this test's bytes: the service (and its slow log) is shared with other test classes.
        log = dir.resolve("slice.log");
        try (var raf = new RandomAccessFile(mariaDb.slowLogPath().toFile(), "r")) {
            raf.seek(start);
            var bytes = new byte[(int) (raf.length() - start)];
            raf.readFully(bytes);
            Files.write(log, bytes);
        }
        errors = SlowLogParser.parse(log, entries::add).errorCount();
    }

    /** sysbench oltp_read_write's statements with varying literals, and some awkward ones. */
    private static String workload() {
        var r = new Random(42);
        var sql = new StringBuilder("USE slowlog_it;\n");
        for (int i = 0; i < ROUNDS; i++) {
            int id = 1 + i * 10;
            sql.append("BEGIN;\n");
            sql.append("INSERT INTO sbtest1 (id, k, c, pad) VALUES (").append(id).append(", ").append(r.nextInt(1000))
                    .append(", '").append(r.nextInt(99999)).append("-x', 'pad');\n");
            sql.append("SELECT c FROM sbtest1 WHERE id=").append(r.nextInt(500)).append(";\n");
            sql.append("SELECT c FROM sbtest1 WHERE id BETWEEN ").append(id).append(" AND ").append(id + 99).append(";\n");
            sql.append("SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN ").append(id).append(" AND ").append(id + 99).append(";\n");
            sql.append("SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN ").append(id).append(" AND ").append(id + 9)
                    .append(" ORDER BY c;\n");
            sql.append("UPDATE sbtest1 SET k=k+1 WHERE id=").append(id).append(";\n");
            sql.append("UPDATE sbtest1 SET c='").append(r.nextInt(99999)).append("' WHERE id=").append(id).append(";\n");
            sql.append("SELECT id FROM sbtest1 WHERE id IN (").append(id).append(", ").append(id + 1).append(", 7);\n");
            sql.append("SELECT /* app:report */ COUNT(*)\n  FROM sbtest1\n WHERE k > ").append(r.nextInt(100)).append(";\n");
            sql.append("SELECT * FROM sbtest1 WHERE c = 0x").append(Integer.toHexString(0xA0000 + i).toUpperCase()).append(";\n");
            sql.append("COMMIT;\n");
        }
        sql.append("INSERT INTO sbtest1 (id, k, c, pad) VALUES (100001, 1, 'a', 'b'), (100002, 2, 'c', 'd') "
                + "ON DUPLICATE KEY UPDATE k = VALUES(k);\n");
        sql.append("SELECT 'caf\u00e9', \"Ω\" FROM dual;\n");
        return sql.toString();
    }

    @Test
    void everyStatementIsParsedWithItsAttributes() {
        assertThat(errors).isZero();
        var pointSelects = entries.stream().filter(e -> e.query().startsWith("SELECT c FROM sbtest1 WHERE id=")).toList();
        assertThat(pointSelects).hasSize(ROUNDS);
        for (var e : pointSelects) {
            assertThat(e.user()).isEqualTo("root");
            assertThat(e.ip()).isEqualTo("127.0.0.1");
            assertThat(e.schema()).isEqualTo("slowlog_it");
            assertThat(e.threadId()).isPositive();
            assertThat(e.queryTime()).isGreaterThanOrEqualTo(0);
            assertThat(e.rowsAffected()).isZero();
            assertThat(e.bytesSent()).isGreaterThanOrEqualTo(0);
            assertThat(e.time()).isNotNull();
        }
        assertThat(entries.stream().filter(e -> e.query().equals("COMMIT"))).hasSize(ROUNDS);
        assertThat(entries.stream().filter(e -> e.query().startsWith("UPDATE sbtest1 SET k=k+1"))
                .mapToLong(SlowLogEntry::rowsAffected)).containsOnly(1L);
        // the mariadb client strips the /* */ comment before sending; the line breaks survive
        assertThat(entries.stream().filter(e -> e.query().startsWith("SELECT  COUNT(*)\n  FROM sbtest1\n WHERE k > ")))
                .hasSize(ROUNDS);
        assertThat(entries).anySatisfy(e -> assertThat(e.query()).isEqualTo("SELECT 'caf\u00e9', \"Ω\" FROM dual"));
        assertThat(entries).isSortedAccordingTo((a, b) -> Long.compare(a.offset(), b.offset()));
    }

    @Test
    void everyDistinctStatementFingerprintsLikePtFingerprint() throws Exception {
        var distinct = new LinkedHashSet<String>();
        entries.forEach(e -> distinct.add(e.query()));
        var vigil = new Fingerprinter(FingerprintOptions.PT_FINGERPRINT);
        var mismatches = new ArrayList<String>();
        for (var q : distinct) {
            var expected = ptFingerprint(q);
            if (!expected.equals(vigil.fingerprint(q))) {
                mismatches.add(q + " -> pt: " + expected + " vigil: " + vigil.fingerprint(q));
            }
        }
        System.out.printf("real workload: %d/%d distinct statements fingerprint identically%n",
                distinct.size() - mismatches.size(), distinct.size());
        assertThat(mismatches).isEmpty();
    }

    @Test
    void digestCommandMatchesPtQueryDigestClassesAndCounts() throws Exception {
        var stdout = System.out;
        var captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            DigestCommand.main(new String[] {log.toString(), "--format", "json", "--limit", "0"});
        } finally {
            System.setOut(stdout);
        }
        @SuppressWarnings("unchecked")
        var vigil = (Map<String, Object>) MiniJson.parse(captured.toString(StandardCharsets.UTF_8));
        Map<String, Long> vigilCounts = new HashMap<>();
        for (var c : classes(vigil)) {
            vigilCounts.put((String) c.get("id"), ((Number) c.get("count")).longValue());
            assertThat(c).containsKeys("fingerprint", "sample", "query_time", "lock_time", "rows_sent", "rows_examined");
        }

        var pt = new ProcessBuilder("pt-query-digest", "--output", "json", "--limit", "100%", log.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var ptOut = new String(pt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(pt.waitFor(60, TimeUnit.SECONDS)).isTrue();
        @SuppressWarnings("unchecked")
        var ptJson = (Map<String, Object>) MiniJson.parse(ptOut.strip()); // it begins with a blank line
        Map<String, Long> ptCounts = classes(ptJson).stream().collect(Collectors.toMap(c -> (String) c.get("checksum"),
                c -> ((Number) c.get("query_count")).longValue()));

        assertThat(vigilCounts).isEqualTo(ptCounts);
        assertThat(vigilCounts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(entries.size());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> classes(Map<String, Object> json) {
        return (List<Map<String, Object>>) json.get("classes");
    }
}
