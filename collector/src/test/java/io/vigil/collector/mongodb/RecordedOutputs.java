package io.vigil.collector.mongodb;

import org.bson.BsonTimestamp;
import org.bson.Document;
import org.bson.json.JsonParseException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads the command outputs kept beside this class (README.md there says where each came from) into
 * the {@link Document}s the driver would have handed the scraper.
 */
final class RecordedOutputs {

    /** time.Time as Go's encoding/json writes it (RFC 3339, optional fraction, Z or an offset). */
    private static final Pattern GO_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})");

    private RecordedOutputs() {
    }

    /**
     * A document in a notation {@code Document.parse} reads as it is: Extended JSON (canonical, relaxed or
     * the legacy {@code {"$date": millis}} of pymongo's json_util) or the mongo shell's
     * {@code NumberLong(..)}/{@code ISODate(..)}/{@code Timestamp(..)}.
     */
    static Document document(String name) {
        String text = text(name);
        try {
            return Document.parse(text);
        } catch (JsonParseException e) {
            throw new IllegalStateException("recorded output " + name + " does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * A document that a Go exporter captured through the Go driver and wrote with encoding/json, as the
     * Percona getDiagnosticData captures are: BSON dates became RFC 3339 strings and BSON timestamps
     * became {@code {"T": seconds, "I": increment}}. Those two are turned back into the {@link Date} and
     * {@link BsonTimestamp} the Java driver returns; numbers stay as the JSON gives them (Int32 when they
     * fit, else Int64; Go writes 1.0 as 1), which the parsing reads as any {@link Number}.
     */
    static Document goRendered(String name) {
        return (Document) fromGo(document(name));
    }

    private static Object fromGo(Object value) {
        if (value instanceof Document d) {
            if (d.size() == 2 && d.get("T") instanceof Number t && d.get("I") instanceof Number i) {
                return new BsonTimestamp(t.intValue(), i.intValue());
            }
            var out = new Document();
            for (Map.Entry<String, Object> e : d.entrySet()) {
                out.put(e.getKey(), fromGo(e.getValue()));
            }
            return out;
        }
        if (value instanceof List<?> list) {
            var out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(fromGo(v)));
            return out;
        }
        if (value instanceof String s && GO_TIME.matcher(s).matches()) {
            return Date.from(OffsetDateTime.parse(s).toInstant());
        }
        return value;
    }

    private static String text(String name) {
        try (InputStream in = RecordedOutputs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no recorded output " + name + " beside " + RecordedOutputs.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading recorded output " + name, e);
        }
    }
}
