package io.vigil.logs.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.slowlog.ParseError;
import io.vigil.logs.slowlog.SlowLogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogBatchJsonTest {

    @Test
    void aBatchSurvivesTheWireWithEveryField() {
        var entry = new SlowLogEntry(Instant.parse("2026-12-04T10:15:30.123456Z"), "app", "web-1", "10.0.0.7", 42, "shop",
                1.25, 0.001, 10, 5000, 0, 812, Map.of("Full_scan", "Yes"), "SELECT * FROM t1 WHERE id = 'é\u0000'", 4096);
        var batch = new LogBatch(new LogSource("db-7", "pay", "db-7:3306", LogKind.SLOW, "/var/log/mysql/slow.log"),
                "2049:1234", 4096, 8192,
                List.of(new ShippedSlowQuery(entry, "select * from t1 where id = ?", "ABCDEF0123456789", 40)),
                List.of(new ErrorLogEvent(LocalDateTime.parse("2026-12-04T10:15:31"), 9, "ERROR", "MY-010055", "Server",
                        "line one\nline two", ErrorLogEvent.Kind.DEADLOCK, 100)),
                List.of(new StatementDigestDelta("shop", "d1", "SELECT ? ", "select ?", "00000000000000AA", 3, 0.5, 0.3,
                        0.01, 3, 30, 0, 1, 0, 2, Instant.parse("2026-12-04T10:00:00Z"), Instant.parse("2026-12-04T10:01:00Z"))),
                List.of(new ParseError("/var/log/mysql/slow.log", 5000, "no query")));

        var decoded = LogBatchJson.decode(LogBatchJson.encode(batch));

        assertThat(decoded).isEqualTo(batch);
        assertThat(decoded.size()).isEqualTo(3);
        assertThat(decoded.source().key()).isEqualTo("db-7:/var/log/mysql/slow.log");
    }

    @Test
    void timesAreIsoTextSoOtherToolsCanReadTheTopic() {
        var entry = new SlowLogEntry(Instant.parse("2026-12-04T10:15:30Z"), "u", "h", "", 1, "", 1, 0, 0, 0, 0, 0,
                Map.of(), "select 1", 0);
        var json = new String(LogBatchJson.encode(new LogBatch(new LogSource("h", "", "h:3306", LogKind.SLOW, "/s.log"),
                "", 0, 10, List.of(new ShippedSlowQuery(entry, "select ?", "X", 8)), null, null, null)), StandardCharsets.UTF_8);

        assertThat(json).contains("\"time\":\"2026-12-04T10:15:30Z\"").contains("\"kind\":\"SLOW\"");
    }

    @Test
    void aCutQueryKnowsItWasCut() {
        var entry = new SlowLogEntry(Instant.EPOCH, "u", "h", "", 1, "", 1, 0, 0, 0, 0, 0, Map.of(), "INSERT INTO t VALUES (1)", 0);
        assertThat(new ShippedSlowQuery(entry, "insert into t values(?+)", "X", 1_000_000).truncated()).isTrue();
        assertThat(new ShippedSlowQuery(entry, "insert into t values(?+)", "X", 24).truncated()).isFalse();
    }

    @Test
    void somethingElseIsRefusedWithTheReason() {
        assertThatThrownBy(() -> LogBatchJson.decode("{\"source\":{\"host\":\"h\"}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a log batch:")
                .hasMessageContaining("instance");
        assertThatThrownBy(() -> LogBatchJson.decode("[1,2".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
