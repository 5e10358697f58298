package io.vigil.collector.logs;

import io.vigil.logs.errorlog.ErrorLogParser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Error-log events (an InnoDB deadlock report is one event). */
public final class ErrorLogFormat implements LogFormat {

    @Override
    public List<ShipItem> parse(byte[] bytes, int length, long baseOffset, String file) {
        // The parser counts offsets in UTF-8 bytes of the decoded text; a byte that is not UTF-8 would decode to
        // U+FFFD (three bytes) and shift every later offset, so it becomes a one-byte '?' first.
        String text = new String(Utf8.sanitized(bytes, length), 0, length, StandardCharsets.UTF_8);
        var items = new ArrayList<ShipItem>();
        for (var event : ErrorLogParser.parse(text, baseOffset)) {
            items.add(new ShipItem.Error(event));
        }
        return items;
    }
}
