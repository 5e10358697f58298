package io.vigil.logs.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.vigil.logs.slowlog.SlowLogEntry;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The JSON of a {@link ShippedSlowQuery}, nearly every byte of a slow-log batch, written and read field by field
 * with Jackson's streaming API. Databind would produce and accept the same JSON from the records, at about twice
 * the cost: a property writer and a method handle per field, a buffer of creator arguments per object, a
 * {@code DateTimeFormatter} parse per time. What databind does beyond the common case is left to it: any value of
 * an unexpected JSON type (a number given as text, a time as a number) is read by databind's own deserializer for
 * that field; unknown fields are skipped, missing ones are null or 0, as databind reads records.
 */
final class ShippedSlowQueryJson {

    private static final SerializedString ENTRY = new SerializedString("entry");
    private static final SerializedString FINGERPRINT = new SerializedString("fingerprint");
    private static final SerializedString QUERY_ID = new SerializedString("queryId");
    private static final SerializedString QUERY_BYTES = new SerializedString("queryBytes");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString USER = new SerializedString("user");
    private static final SerializedString HOST = new SerializedString("host");
    private static final SerializedString IP = new SerializedString("ip");
    private static final SerializedString THREAD_ID = new SerializedString("threadId");
    private static final SerializedString SCHEMA = new SerializedString("schema");
    private static final SerializedString QUERY_TIME = new SerializedString("queryTime");
    private static final SerializedString LOCK_TIME = new SerializedString("lockTime");
    private static final SerializedString ROWS_SENT = new SerializedString("rowsSent");
    private static final SerializedString ROWS_EXAMINED = new SerializedString("rowsExamined");
    private static final SerializedString ROWS_AFFECTED = new SerializedString("rowsAffected");
    private static final SerializedString BYTES_SENT = new SerializedString("bytesSent");
    private static final SerializedString ATTRIBUTES = new SerializedString("attributes");
    private static final SerializedString QUERY = new SerializedString("query");
    private static final SerializedString OFFSET = new SerializedString("offset");
    private static final JavaType ATTRIBUTES_TYPE = TypeFactory.defaultInstance()
            .constructMapType(Map.class, String.class, String.class);

    private ShippedSlowQueryJson() {
    }

    static SimpleModule module() {
        return new SimpleModule("vigil-shipped-slow-query")
                .addSerializer(ShippedSlowQuery.class, new Serializer())
                .addDeserializer(ShippedSlowQuery.class, new Deserializer());
    }

    /** The fields in the records' order, nulls written as null: the bytes databind writes. */
    static final class Serializer extends StdSerializer<ShippedSlowQuery> {

        Serializer() {
            super(ShippedSlowQuery.class);
        }

        @Override
        public void serialize(ShippedSlowQuery q, JsonGenerator g, SerializerProvider provider) throws IOException {
            SlowLogEntry e = q.entry();
            g.writeStartObject();
            g.writeFieldName(ENTRY);
            g.writeStartObject();
            g.writeFieldName(TIME);
            if (e.time() == null) {
                g.writeNull();
            } else {
                g.writeString(e.time().toString()); // ISO_INSTANT, as the JavaTimeModule writes it
            }
            string(g, USER, e.user());
            string(g, HOST, e.host());
            string(g, IP, e.ip());
            g.writeFieldName(THREAD_ID);
            g.writeNumber(e.threadId());
            string(g, SCHEMA, e.schema());
            g.writeFieldName(QUERY_TIME);
            g.writeNumber(e.queryTime());
            g.writeFieldName(LOCK_TIME);
            g.writeNumber(e.lockTime());
            g.writeFieldName(ROWS_SENT);
            g.writeNumber(e.rowsSent());
            g.writeFieldName(ROWS_EXAMINED);
            g.writeNumber(e.rowsExamined());
            g.writeFieldName(ROWS_AFFECTED);
            g.writeNumber(e.rowsAffected());
            g.writeFieldName(BYTES_SENT);
            g.writeNumber(e.bytesSent());
            g.writeFieldName(ATTRIBUTES);
            g.writeStartObject();
            for (Map.Entry<String, String> a : e.attributes().entrySet()) {
                g.writeFieldName(a.getKey());
                g.writeString(a.getValue());
            }
            g.writeEndObject();
            string(g, QUERY, e.query());
            g.writeFieldName(OFFSET);
            g.writeNumber(e.offset());
            g.writeEndObject();
            string(g, FINGERPRINT, q.fingerprint());
            string(g, QUERY_ID, q.queryId());
            g.writeFieldName(QUERY_BYTES);
            g.writeNumber(q.queryBytes());
            g.writeEndObject();
        }

        private static void string(JsonGenerator g, SerializedString name, String value) throws IOException {
            g.writeFieldName(name);
            if (value == null) {
                g.writeNull();
            } else {
                g.writeString(value);
            }
        }
    }

    static final class Deserializer extends StdDeserializer<ShippedSlowQuery> {

        Deserializer() {
            super(ShippedSlowQuery.class);
        }

        @Override
        public ShippedSlowQuery deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                return (ShippedSlowQuery) ctxt.handleUnexpectedToken(ShippedSlowQuery.class, p);
            }
            SlowLogEntry entry = null;
            String fingerprint = null;
            String queryId = null;
            int queryBytes = 0;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                switch (field) {
                    case "entry" -> entry = entry(p, ctxt);
                    case "fingerprint" -> fingerprint = string(p, ctxt);
                    case "queryId" -> queryId = string(p, ctxt);
                    case "queryBytes" -> queryBytes = (int) number(p, ctxt, int.class);
                    default -> p.skipChildren();
                }
            }
            return new ShippedSlowQuery(entry, fingerprint, queryId, queryBytes);
        }

        private static SlowLogEntry entry(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            if (!p.isExpectedStartObjectToken()) {
                return (SlowLogEntry) ctxt.handleUnexpectedToken(SlowLogEntry.class, p);
            }
            Instant time = null;
            String user = null;
            String host = null;
            String ip = null;
            long threadId = 0;
            String schema = null;
            double queryTime = 0;
            double lockTime = 0;
            long rowsSent = 0;
            long rowsExamined = 0;
            long rowsAffected = 0;
            long bytesSent = 0;
            Map<String, String> attributes = null;
            String query = null;
            long offset = 0;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                switch (field) {
                    case "time" -> time = instant(p, ctxt);
                    case "user" -> user = string(p, ctxt);
                    case "host" -> host = string(p, ctxt);
                    case "ip" -> ip = string(p, ctxt);
                    case "threadId" -> threadId = number(p, ctxt, long.class);
                    case "schema" -> schema = string(p, ctxt);
                    case "queryTime" -> queryTime = decimal(p, ctxt);
                    case "lockTime" -> lockTime = decimal(p, ctxt);
                    case "rowsSent" -> rowsSent = number(p, ctxt, long.class);
                    case "rowsExamined" -> rowsExamined = number(p, ctxt, long.class);
                    case "rowsAffected" -> rowsAffected = number(p, ctxt, long.class);
                    case "bytesSent" -> bytesSent = number(p, ctxt, long.class);
                    case "attributes" -> attributes = attributes(p, ctxt);
                    case "query" -> query = string(p, ctxt);
                    case "offset" -> offset = number(p, ctxt, long.class);
                    default -> p.skipChildren();
                }
            }
            return new SlowLogEntry(time, user, host, ip, threadId, schema, queryTime, lockTime, rowsSent, rowsExamined,
                    rowsAffected, bytesSent, attributes, query, offset);
        }

        private static String string(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_STRING -> p.getText();
                case VALUE_NULL -> null;
                default -> ctxt.readValue(p, String.class);
            };
        }

        private static long number(JsonParser p, DeserializationContext ctxt, Class<?> type) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return type == int.class ? p.getIntValue() : p.getLongValue();
            }
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return 0;
            }
            return ((Number) ctxt.readValue(p, type)).longValue();
        }

        private static double decimal(JsonParser p, DeserializationContext ctxt) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_NUMBER_FLOAT, VALUE_NUMBER_INT -> p.getDoubleValue();
                case VALUE_NULL -> 0;
                default -> ctxt.readValue(p, double.class);
            };
        }

        private static Instant instant(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                Instant fast = IsoInstants.parse(p.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return p.currentToken() == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, Instant.class);
        }

        private static Map<String, String> attributes(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return p.currentToken() == JsonToken.VALUE_NULL ? null : ctxt.readValue(p, ATTRIBUTES_TYPE);
            }
            var map = new HashMap<String, String>();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                map.put(name, string(p, ctxt));
            }
            return map;
        }
    }
}
