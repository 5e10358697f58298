package io.vigil.logs.digest;

import io.vigil.logs.fingerprint.FingerprintOptions;
import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.fingerprint.QueryId;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestCommandTest {

    /** 3 fast point selects, 1 slow scan; a malformed entry in between; a statement with a newline and quotes. */
    private static final String LOG = """
            # User@Host: a[a] @ localhost [127.0.0.1]
            # Query_time: 0.010  Lock_time: 0.001  Rows_sent: 1  Rows_examined: 1
            select c from t1 where id=1;
            # User@Host: a[a] @ localhost [127.0.0.1]
            # Query_time: 0.020  Lock_time: 0.001  Rows_sent: 1  Rows_examined: 1
            select c from t1 where id=2;
            # User@Host: a[a] @ localhost [127.0.0.1]
            # Query_time: broken  Lock_time: 0.001  Rows_sent: 1  Rows_examined: 1
            select c from t1 where id=9;
            # User@Host: a[a] @ localhost [127.0.0.1]
            # Query_time: 0.030  Lock_time: 0.002  Rows_sent: 1  Rows_examined: 1
            select c from t1 where id=3;
            # User@Host: a[a] @ localhost [127.0.0.1]
            # Query_time: 1.500  Lock_time: 0.000  Rows_sent: 0  Rows_examined: 90000
            select "x\\"y"
              from t2 where c like '%z%';
            """;

    private static Digest.Result digest() throws Exception {
        return new Digest(new Fingerprinter(FingerprintOptions.PT_QUERY_DIGEST))
                .run("mem.log", new ByteArrayInputStream(LOG.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void ordersLimitsAndComputesExactStats() throws Exception {
        var result = digest();
        assertThat(result.stats().errorCount()).isEqualTo(1);
        var bySum = new DigestReport(result, DigestCommand.comparator("sum"), 0).rows();
        assertThat(bySum).extracting(DigestReport.Row::count).containsExactly(1L, 3L);
        var byCount = new DigestReport(result, DigestCommand.comparator("count"), 1).rows();
        assertThat(byCount).hasSize(1);
        var points = byCount.getFirst();
        assertThat(points.fingerprint()).isEqualTo("select c from t? where id=?");
        assertThat(points.id()).isEqualTo(QueryId.of("select c from t? where id=?"));
        assertThat(points.queryTime().sum()).isCloseTo(0.06, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(points.queryTime().min()).isEqualTo(0.010);
        assertThat(points.queryTime().max()).isEqualTo(0.030);
        assertThat(points.queryTime().median()).isEqualTo(0.020);
        assertThat(points.queryTime().p95()).isEqualTo(0.030);
        assertThat(points.sample()).isEqualTo("select c from t1 where id=3"); // the slowest
    }

    @Test
    void jsonIsWellFormedEvenForAwkwardStatements() throws Exception {
        var out = new StringWriter();
        new DigestReport(digest(), DigestCommand.comparator("p95"), 0).writeJson(out);
        @SuppressWarnings("unchecked")
        var json = (Map<String, Object>) MiniJson.parse(out.toString());
        @SuppressWarnings("unchecked")
        var classes = (List<Map<String, Object>>) json.get("classes");
        assertThat(classes).hasSize(2);
        assertThat(classes.getFirst().get("sample")).isEqualTo("select \"x\\\"y\"\n  from t2 where c like '%z%'");
        assertThat(json.get("malformed_entries")).isEqualTo(1.0);
    }

    @Test
    void textProfileHasOneLinePerClass() throws Exception {
        var out = new StringWriter();
        new DigestReport(digest(), DigestCommand.comparator("sum"), 20).writeText(out);
        var text = out.toString();
        assertThat(text).contains("# Overall: 4 total, 2 unique").contains("1 malformed entries skipped")
                .contains("0x" + QueryId.of("select c from t? where id=?"))
                .contains("# Fingerprint: select c from t? where id=?");
        assertThat(text.lines().filter(l -> l.startsWith("#    1 ") || l.startsWith("#    2 "))).hasSize(2);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> DigestCommand.parse(new String[] {"f", "--format", "xml"})).hasMessageContaining("text or json");
        assertThatThrownBy(() -> DigestCommand.parse(new String[] {"f", "--order-by", "avg"})).hasMessageContaining("sum, count or p95");
        assertThatThrownBy(() -> DigestCommand.parse(new String[] {"f", "--limit", "-1"})).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> DigestCommand.parse(new String[] {})).hasMessageContaining("no slow log");
        assertThat(DigestCommand.parse(new String[] {"f", "--limit", "5", "--order-by", "count", "--format", "json"}))
                .isEqualTo(new DigestCommand.Options(java.nio.file.Path.of("f"), true, "count", 5, false));
    }
}
