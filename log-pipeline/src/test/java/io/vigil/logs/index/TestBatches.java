package io.vigil.logs.index;

import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.slowlog.SlowLogEntry;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogKind;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.ShippedSlowQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Log batches as the shipper sends them, made up for tests. */
public final class TestBatches {

    private TestBatches() {
    }

    public static LogSource slowSource(String host, String instance) {
        return new LogSource(host, "pay", instance, LogKind.SLOW, "/var/log/mysql/slow.log");
    }

    /** {@code count} slow queries, one every second from {@code start}, at offsets {@code firstOffset, +100, …}. */
    public static LogBatch slow(LogSource source, String fileId, long firstOffset, Instant start, int count) {
        var slow = new ArrayList<ShippedSlowQuery>();
        for (int i = 0; i < count; i++) {
            long offset = firstOffset + 100L * i;
            String query = "SELECT * FROM orders WHERE id = " + offset;
            slow.add(shipped(start.plusSeconds(i), "app", "shop", 0.5 + (i % 7) * 0.1, query, "select * from orders where id = ?",
                    "A1B2C3D4E5F60718293A4B5C6D7E8F90", offset));
        }
        return new LogBatch(source, fileId, firstOffset, firstOffset + 100L * count, slow, List.of(), List.of(), List.of());
    }

    public static ShippedSlowQuery shipped(Instant time, String user, String schema, double queryTime, String query,
                                           String fingerprint, String queryId, long offset) {
        var entry = new SlowLogEntry(time, user, "web-1", "10.0.0.7", 42, schema, queryTime, 0.001, 10, 5000, 0, 100,
                Map.of("Full_scan", "No"), query, offset);
        return new ShippedSlowQuery(entry, fingerprint, queryId, query.getBytes(StandardCharsets.UTF_8).length);
    }

    public static ErrorLogEvent error(Instant time, String severity, String code, String message, long offset) {
        return new ErrorLogEvent(LocalDateTime.ofInstant(time, ZoneOffset.UTC), 7, severity, code, "Server", message,
                ErrorLogEvent.Kind.MESSAGE, offset);
    }
}
