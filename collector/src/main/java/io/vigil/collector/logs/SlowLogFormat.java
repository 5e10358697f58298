package io.vigil.collector.logs;

import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.fingerprint.QueryId;
import io.vigil.logs.slowlog.ParseError;
import io.vigil.logs.slowlog.SlowLogEntry;
import io.vigil.logs.slowlog.SlowLogParser;
import io.vigil.logs.wire.ShippedSlowQuery;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Slow-log entries, fingerprinted on the whole statement and then cut to {@code maxQueryBytes} so that a
 * batch fits a Kafka record; {@link ShippedSlowQuery#queryBytes()} keeps the statement's real length.
 */
public final class SlowLogFormat implements LogFormat {

    private final Fingerprinter fingerprinter;
    private final int maxQueryBytes;
    private final int maxLine;

    public SlowLogFormat(Fingerprinter fingerprinter, int maxQueryBytes, int maxLine) {
        this.fingerprinter = fingerprinter;
        this.maxQueryBytes = maxQueryBytes;
        this.maxLine = maxLine;
    }

    @Override
    public List<ShipItem> parse(byte[] bytes, int length, long baseOffset, String file) {
        var items = new ArrayList<ShipItem>();
        var parser = new SlowLogParser(file, maxLine);
        var stats = parser.parse(bytes, length, entry -> items.add(ship(entry, baseOffset)));
        // The parser keeps the first errors of a run; a window is far smaller than that many entries.
        for (ParseError e : stats.errors()) {
            items.add(new ShipItem.Malformed(new ParseError(file, baseOffset + e.offset(), e.reason())));
        }
        items.sort(Comparator.comparingLong(ShipItem::offset));
        return items;
    }

    private ShipItem ship(SlowLogEntry e, long baseOffset) {
        String query = e.query();
        String fingerprint = fingerprinter.fingerprint(query);
        int queryBytes = query.getBytes(StandardCharsets.UTF_8).length;
        var shipped = new SlowLogEntry(e.time(), e.user(), e.host(), e.ip(), e.threadId(), e.schema(), e.queryTime(),
                e.lockTime(), e.rowsSent(), e.rowsExamined(), e.rowsAffected(), e.bytesSent(), e.attributes(),
                cut(query, queryBytes, maxQueryBytes), baseOffset + e.offset());
        return new ShipItem.Slow(new ShippedSlowQuery(shipped, fingerprint, QueryId.of(fingerprint), queryBytes));
    }

    /** The longest prefix of {@code s} whose UTF-8 form has at most {@code max} bytes; never splits a character. */
    static String cut(String s, int utf8Length, int max) {
        if (utf8Length <= max) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > max) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s.substring(0, i);
    }
}
