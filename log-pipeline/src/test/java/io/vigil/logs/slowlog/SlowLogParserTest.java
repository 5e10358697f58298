package io.vigil.logs.slowlog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixtures under {@code src/test/resources/slowlog/} are modelled on real server output: the MariaDB one on
 * the 10.11 log of testbed.md section 8, the MySQL and Percona ones on the formats their manuals and
 * pt-query-digest's own sample logs show (5.7 ISO time, 8.0 {@code log_slow_extra}, Percona
 * {@code log_slow_verbosity=full}).
 */
class SlowLogParserTest {

    record Parsed(List<SlowLogEntry> entries, ParseStats stats) {
    }

    static Parsed parse(byte[] log) throws IOException {
        var entries = new ArrayList<SlowLogEntry>();
        var stats = new SlowLogParser("test.log", 4 << 20).parse(new ByteArrayInputStream(log), entries::add);
        return new Parsed(entries, stats);
    }

    static Parsed fixture(String name) throws IOException {
        try (var in = Objects.requireNonNull(SlowLogParserTest.class.getResourceAsStream("/slowlog/" + name))) {
            return parse(in.readAllBytes());
        }
    }

    @Test
    void mysql57() throws IOException {
        var p = fixture("mysql57.log");
        assertThat(p.stats().errorCount()).isZero();
        assertThat(p.entries()).hasSize(3);
        var first = p.entries().get(0);
        assertThat(first.time()).isEqualTo(Instant.parse("2024-03-05T10:15:30.123456Z"));
        assertThat(first.user()).isEqualTo("app");
        assertThat(first.host()).isEqualTo("web1.example.com");
        assertThat(first.ip()).isEqualTo("10.0.0.5");
        assertThat(first.threadId()).isEqualTo(42);
        assertThat(first.schema()).isEqualTo("shop");
        assertThat(first.queryTime()).isEqualTo(2.5);
        assertThat(first.lockTime()).isEqualTo(0.00012);
        assertThat(first.rowsSent()).isEqualTo(10);
        assertThat(first.rowsExamined()).isEqualTo(100000);
        assertThat(first.rowsAffected()).isEqualTo(-1);
        assertThat(first.query()).isEqualTo("SELECT * FROM orders WHERE customer_id = 17 ORDER BY created DESC LIMIT 10");
        assertThat(first.offset()).isEqualTo(indexOf(fixtureBytes("mysql57.log"), "# Time: 2024-03-05T10:15:30"));

        var quit = p.entries().get(1);
        assertThat(quit.administratorCommand()).isTrue();
        assertThat(quit.query()).isEqualTo("administrator command: Quit");

        var multiLine = p.entries().get(2);
        assertThat(multiLine.time()).isEqualTo(Instant.parse("2024-03-05T09:15:32.5Z"));
        assertThat(multiLine.host()).isEqualTo("10.0.0.9");
        assertThat(multiLine.query()).isEqualTo("SELECT a,\n       b\n  FROM t\n WHERE c = 'x'");
    }

    @Test
    void mysql80WithLogSlowExtra() throws IOException {
        var p = fixture("mysql80-extra.log");
        assertThat(p.stats().errorCount()).isZero();
        var e = p.entries().getFirst();
        assertThat(e.threadId()).isEqualTo(8);
        assertThat(e.bytesSent()).isEqualTo(56);
        assertThat(e.attributes()).containsEntry("Errno", "0").containsEntry("Read_key", "1")
                .containsEntry("End", "2024-03-05T10:15:30.654321Z");
        assertThat(e.query()).isEqualTo("select 1; select 2");
        assertThat(e.schema()).isEqualTo("test");
    }

    @Test
    void mariadb() throws IOException {
        var p = fixture("mariadb.log");
        assertThat(p.stats().errorCount()).isZero();
        assertThat(p.entries()).hasSize(2);
        var select = p.entries().get(0);
        assertThat(select.time()).isEqualTo(Instant.ofEpochSecond(1795311948)); // SET timestamp wins
        assertThat(select.threadId()).isEqualTo(64);
        assertThat(select.schema()).isEqualTo("sbtest");
        assertThat(select.rowsAffected()).isZero();
        assertThat(select.bytesSent()).isZero();
        assertThat(select.attributes()).containsEntry("QC_hit", "No");
        assertThat(select.attributes().get("explain")).startsWith("id\tselect_type").contains("\n1\tSIMPLE\tsbtest2");
        assertThat(select.query()).isEqualTo("SELECT c FROM sbtest2 WHERE id=49972");

        var update = p.entries().get(1); // no # Time: line, empty Schema:, a use line
        assertThat(update.time()).isEqualTo(Instant.ofEpochSecond(1795311949));
        assertThat(update.schema()).isEqualTo("sbtest");
        assertThat(update.rowsAffected()).isEqualTo(2);
        assertThat(update.attributes()).containsEntry("Full_scan", "Yes").containsEntry("Priority_queue", "No");
    }

    @Test
    void mariadbTimeLineWithoutSetTimestamp() throws IOException {
        var p = parse("""
                # Time: 261122  1:45:48
                # User@Host: app[app] @ localhost [127.0.0.1]
                # Query_time: 0.5  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                select 1;
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(p.entries().getFirst().time()).isEqualTo(Instant.parse("2026-11-22T01:45:48Z"));
    }

    @Test
    void perconaExtendedVerbosity() throws IOException {
        var p = fixture("percona.log");
        assertThat(p.stats().errorCount()).isZero();
        var e = p.entries().getFirst();
        assertThat(e.schema()).isEqualTo("test");
        assertThat(e.rowsAffected()).isZero();
        assertThat(e.bytesSent()).isEqualTo(56);
        assertThat(e.attributes()).containsEntry("InnoDB_IO_r_wait", "0.000000")
                .containsEntry("InnoDB_pages_distinct", "1").containsEntry("Log_slow_rate_limit", "10")
                .containsEntry("Last_errno", "0");
        assertThat(e.query()).isEqualTo("select @@version_comment limit 1");
    }

    @Test
    void malformedEntryIsCountedAndTheNextOneStillParses() throws IOException {
        var log = """
                # User@Host: a[a] @ localhost [127.0.0.1]
                # Query_time: 0.1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                select 1;
                # User@Host: b[b] @ localhost [127.0.0.1]
                # Query_time: zero  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                select 2;
                # User@Host: c[c] @ localhost [127.0.0.1]
                # Query_time: 0.3  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                select 3;
                """.getBytes(StandardCharsets.UTF_8);
        var p = parse(log);
        assertThat(p.entries()).extracting(SlowLogEntry::query).containsExactly("select 1", "select 3");
        assertThat(p.stats().errorCount()).isEqualTo(1);
        var error = p.stats().errors().getFirst();
        assertThat(error.source()).isEqualTo("test.log");
        assertThat(error.offset()).isEqualTo(indexOf(log, "# User@Host: b"));
        assertThat(error.reason()).contains("Query_time");
    }

    @Test
    void headerWithoutStatementAndStrayTextAreErrors() throws IOException {
        var p = parse("""
                garbage before the first entry
                # User@Host: a[a] @ localhost [127.0.0.1]
                # Query_time: 0.1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                # User@Host: b[b] @ localhost [127.0.0.1]
                # Query_time: 0.2  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                select 2;
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(p.entries()).extracting(SlowLogEntry::query).containsExactly("select 2");
        assertThat(p.stats().errorCount()).isEqualTo(2);
        assertThat(p.stats().errors()).extracting(ParseError::offset).containsExactly(0L, 31L);
    }

    @Test
    void invalidUtf8AndBinaryBytesAreDecodedLeniently() throws IOException {
        var out = new ByteArrayOutputStream();
        out.writeBytes("# User@Host: a[a] @ localhost [127.0.0.1]\n# Query_time: 0.1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\nselect '".getBytes(StandardCharsets.UTF_8));
        out.writeBytes(new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0xc3});
        out.writeBytes("';\n# User@Host: b[b] @ localhost [127.0.0.1]\n# Query_time: 0.2  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\nselect 'é';\n".getBytes(StandardCharsets.UTF_8));
        var p = parse(out.toByteArray());
        assertThat(p.stats().errorCount()).isZero();
        assertThat(p.entries()).hasSize(2);
        assertThat(p.entries().get(0).query()).startsWith("select '\uFFFD").endsWith("'");
        assertThat(p.entries().get(1).query()).isEqualTo("select 'é'");
    }

    @Test
    void oneMegabyteStatementLine() throws IOException {
        var big = "insert into t values " + "(1,'x'),".repeat(131_072) + "(2,'y')";
        var log = ("# User@Host: a[a] @ localhost [127.0.0.1]\n# Query_time: 1.0  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\n"
                + big + ";\n# User@Host: b[b] @ localhost [127.0.0.1]\n# Query_time: 0.2  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\nselect 2;\n")
                .getBytes(StandardCharsets.UTF_8);
        var p = parse(log);
        assertThat(p.stats().errorCount()).isZero();
        assertThat(p.entries()).extracting(SlowLogEntry::query).containsExactly(big, "select 2");
    }

    @Test
    void lineLongerThanTheLimitMakesOnlyItsEntryAnError() throws IOException {
        var huge = "select '" + "x".repeat(5 << 20) + "'";
        var log = ("# User@Host: a[a] @ localhost [127.0.0.1]\n# Query_time: 1.0  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\n"
                + huge + ";\n# User@Host: b[b] @ localhost [127.0.0.1]\n# Query_time: 0.2  Lock_time: 0  Rows_sent: 0  Rows_examined: 0\nselect 2;\n")
                .getBytes(StandardCharsets.UTF_8);
        var p = parse(log);
        assertThat(p.entries()).extracting(SlowLogEntry::query).containsExactly("select 2");
        assertThat(p.stats().errorCount()).isEqualTo(1);
        assertThat(p.stats().errors().getFirst().offset()).isZero();
    }

    @Test
    void commentLineInsideAMultiLineStatementStaysInTheStatement() throws IOException {
        var p = parse("""
                # User@Host: a[a] @ localhost [127.0.0.1]
                # Query_time: 0.1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                select 1
                # a comment
                from dual;
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(p.entries()).extracting(SlowLogEntry::query).containsExactly("select 1\n# a comment\nfrom dual");
    }

    @Test
    void onlyTheFirstUseAndSetLinesAreHeader() throws IOException {
        var p = parse("""
                # User@Host: a[a] @ localhost [127.0.0.1]
                # Query_time: 0.1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                use shop;
                SET timestamp=1700000000;
                SET timestamp=5;
                # User@Host: a[a] @ localhost [127.0.0.1]
                # Query_time: 0.1  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                SET timestamp=1700000001;
                use other;
                """.getBytes(StandardCharsets.UTF_8));
        assertThat(p.stats().errorCount()).isZero();
        assertThat(p.entries()).extracting(SlowLogEntry::query).containsExactly("SET timestamp=5", "use other");
        assertThat(p.entries()).extracting(SlowLogEntry::schema).containsExactly("shop", "other");
        assertThat(p.entries().getFirst().time()).isEqualTo(Instant.ofEpochSecond(1700000000));
    }

    private static byte[] fixtureBytes(String name) throws IOException {
        try (var in = Objects.requireNonNull(SlowLogParserTest.class.getResourceAsStream("/slowlog/" + name))) {
            return in.readAllBytes();
        }
    }

    private static long indexOf(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).indexOf(needle);
    }
}
