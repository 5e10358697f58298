package io.vigil.logs.search;

import co.elastic.clients.json.JsonData;
import io.vigil.logs.index.Fields;
import java.time.Instant;
import java.util.Map;

/** Reads indexed documents back into search results. */
final class Sources {

    private Sources() {
    }

    /** The hits of a search, read with {@code read}, in order. */
    static <T> java.util.List<T> hits(co.elastic.clients.elasticsearch.core.SearchResponse<JsonData> response,
                                      java.util.function.Function<Map<String, Object>, T> read) {
        return response.hits().hits().stream().map(h -> read.apply(map(h.source()))).toList();
    }

    /** How many documents matched in all (the hits are the first of them). */
    static long total(co.elastic.clients.elasticsearch.core.SearchResponse<JsonData> response) {
        return response.hits().total() == null ? response.hits().hits().size() : response.hits().total().value();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(JsonData data) {
        return data == null ? Map.of() : data.to(Map.class);
    }

    static SlowQuery slowQuery(Map<String, Object> s) {
        return new SlowQuery(time(s), text(s, Fields.QUERY_ID), text(s, Fields.FINGERPRINT), text(s, Fields.CLUSTER),
                text(s, Fields.INSTANCE), text(s, Fields.SCHEMA), text(s, Fields.USER), text(s, Fields.CLIENT_HOST),
                number(s, Fields.QUERY_TIME), number(s, Fields.LOCK_TIME), whole(s, Fields.ROWS_SENT),
                whole(s, Fields.ROWS_EXAMINED), whole(s, Fields.ROWS_AFFECTED), text(s, Fields.QUERY),
                Boolean.TRUE.equals(s.get(Fields.TRUNCATED)));
    }

    static ErrorEvent errorEvent(Map<String, Object> s) {
        return new ErrorEvent(time(s), text(s, Fields.CLUSTER), text(s, Fields.INSTANCE), text(s, Fields.HOST),
                text(s, Fields.SEVERITY), text(s, Fields.CODE), text(s, Fields.SUBSYSTEM), text(s, Fields.KIND),
                whole(s, Fields.THREAD), text(s, Fields.MESSAGE));
    }

    private static Instant time(Map<String, Object> s) {
        Object t = s.get(Fields.TIMESTAMP);
        return t == null ? null : Instant.parse(t.toString());
    }

    private static String text(Map<String, Object> s, String field) {
        Object v = s.get(field);
        return v == null ? null : v.toString();
    }

    private static double number(Map<String, Object> s, String field) {
        return s.get(field) instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Long whole(Map<String, Object> s, String field) {
        return s.get(field) instanceof Number n ? n.longValue() : null;
    }
}
