package io.vigil.logs.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vigil.logs.slowlog.SlowLogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streaming JSON of slow queries against what databind makes of the records, LogBatchJson's mapper without it. */
class ShippedSlowQueryJsonTest {

    private static final ObjectMapper DATABIND = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ObjectMapper STREAMING = DATABIND.copy().registerModule(ShippedSlowQueryJson.module());

    private static final List<ShippedSlowQuery> QUERIES = List.of(
            query(Instant.parse("2026-12-04T10:15:30.123456Z"), "app", "web-1", "10.0.0.7", "shop",
                    Map.of("Full_scan", "Yes", "explain", "id\tselect_type\n1\tSIMPLE\t"), "SELECT * FROM t WHERE a = 'é\u0000\"\\'"),
            query(Instant.parse("2026-12-04T10:15:30Z"), null, null, null, null, Map.of(), ""),
            query(Instant.parse("2026-12-04T10:15:30.1Z"), "u", "h", "", "", Map.of("Errno", "0"), "administrator command: Quit"),
            query(null, "u", "h", "1.2.3.4", "s", Map.of(), "SELECT 1"));

    private static ShippedSlowQuery query(Instant time, String user, String host, String ip, String schema,
                                          Map<String, String> attributes, String query) {
        var entry = new SlowLogEntry(time, user, host, ip, -1, schema, 1.25e-6, 0.0, 10, 5000, -1, 812, attributes, query,
                4_294_967_296L);
        return new ShippedSlowQuery(entry, "select ?", "ABCDEF0123456789", 1_000_000);
    }

    @Test
    void writesTheBytesDatabindWrites() throws Exception {
        for (ShippedSlowQuery q : QUERIES) {
            assertThat(STREAMING.writeValueAsString(q)).isEqualTo(DATABIND.writeValueAsString(q));
        }
    }

    @Test
    void readsWhatDatabindReads() throws Exception {
        for (ShippedSlowQuery q : QUERIES) {
            String json = DATABIND.writeValueAsString(q);
            assertThat(STREAMING.readValue(json, ShippedSlowQuery.class)).isEqualTo(q)
                    .isEqualTo(DATABIND.readValue(json, ShippedSlowQuery.class));
        }
    }

    @Test
    void readsOtherShapesAsDatabindDoes() throws Exception {
        for (String json : List.of(
                // fields in another order, unknown ones (a newer shipper), missing ones (an older one)
                "{\"queryBytes\":8,\"future\":{\"a\":[1,2]},\"queryId\":\"X\",\"fingerprint\":\"select ?\","
                        + "\"entry\":{\"offset\":7,\"query\":\"select 1\",\"new\":[],\"time\":\"2026-12-04T10:15:30Z\"}}",
                // numbers as text, a time as epoch seconds, nulls for numbers, a time with an offset
                "{\"entry\":{\"time\":1796434267.5,\"threadId\":\"42\",\"queryTime\":\"0.5\",\"rowsSent\":null},"
                        + "\"fingerprint\":\"f\",\"queryId\":\"q\",\"queryBytes\":\"3\"}",
                "{\"entry\":{\"time\":\"2026-12-04T10:15:30+01:00\",\"attributes\":null},\"fingerprint\":\"f\",\"queryId\":\"q\"}",
                "{\"entry\":{\"time\":\"+12026-12-04T10:15:30Z\",\"attributes\":{\"a\":1}},\"fingerprint\":\"f\",\"queryId\":\"q\"}")) {
            assertThat(STREAMING.readValue(json, ShippedSlowQuery.class)).as(json)
                    .isEqualTo(DATABIND.readValue(json, ShippedSlowQuery.class));
        }
    }

    @Test
    void refusesWhatDatabindRefuses() {
        for (String json : List.of("{\"entry\":{},\"queryId\":\"q\"}", "{\"entry\":[1],\"fingerprint\":\"f\",\"queryId\":\"q\"}",
                "{\"entry\":{\"time\":\"yesterday\"},\"fingerprint\":\"f\",\"queryId\":\"q\"}", "[]")) {
            assertThatThrownBy(() -> DATABIND.readValue(json, ShippedSlowQuery.class)).as("databind, " + json).isNotNull();
            assertThatThrownBy(() -> STREAMING.readValue(json, ShippedSlowQuery.class)).as(json).isNotNull();
        }
    }

    @Test
    void theFastTimeParserAgreesWithInstantParseOrStepsAside() {
        var random = new java.util.Random(7);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-30_000_000_000L, 250_000_000_000L),
                    i % 4 == 0 ? 0 : random.nextInt(1_000_000_000) / (int) Math.pow(10, i % 4 * 3) * (int) Math.pow(10, i % 4 * 3));
            Instant fast = IsoInstants.parse(t.toString());
            if (fast != null) {
                assertThat(fast).isEqualTo(t);
            } else {
                assertThat(t.toString()).doesNotMatch("[12-9][0-9]{3}-.*");
            }
        }
        for (String odd : List.of("2026-12-04T10:15:30", "2026-12-04 10:15:30Z", "2026-02-30T10:15:30Z", "2026-12-04T24:00:00Z",
                "2026-12-04T23:59:60Z", "2026-12-04T10:15:30.Z", "2026-12-04T10:15:30.1234567890Z", "2026-1a-04T10:15:30Z",
                "2026-12-04T10:15:30+00:00")) {
            assertThat(IsoInstants.parse(odd)).as(odd).isNull();
        }
        assertThat(IsoInstants.parse("2026-12-04T10:15:30.5Z")).isEqualTo(Instant.parse("2026-12-04T10:15:30.5Z"));
        assertThat(IsoInstants.parse("2026-12-04T10:15:30.000000001Z")).isEqualTo(Instant.parse("2026-12-04T10:15:30.000000001Z"));
    }
}
