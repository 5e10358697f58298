package io.vigil.server.logs;

import io.vigil.logs.search.ClassReport;
import io.vigil.logs.search.ErrorEvent;
import io.vigil.logs.search.QueryClass;
import io.vigil.logs.search.SearchWindow;
import io.vigil.logs.search.SlowQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON shapes of the log search answers. Query and message texts are put in as string values only,
 * so the JSON writer escapes them; a client that shows them must treat them as text, never as markup.
 * Numbers Elasticsearch could not compute (an empty average) become null, never NaN.
 */
final class LogViews {

    private LogViews() {
    }

    static Map<String, Object> window(SearchWindow w) {
        var v = new LinkedHashMap<String, Object>();
        v.put("from", w.from().toString());
        v.put("to", w.to().toString());
        return v;
    }

    static Map<String, Object> queryClass(QueryClass c) {
        var v = new LinkedHashMap<String, Object>();
        v.put("queryId", c.queryId());
        v.put("fingerprint", c.fingerprint());
        v.put("count", c.count());
        v.put("totalSeconds", number(c.totalSeconds()));
        v.put("avgSeconds", number(c.avgSeconds()));
        v.put("p95Seconds", number(c.p95Seconds()));
        v.put("maxSeconds", number(c.maxSeconds()));
        v.put("share", number(c.share()));
        v.put("rowsExamined", c.rowsExamined());
        v.put("slowest", c.slowest() == null ? null : slowQuery(c.slowest()));
        return v;
    }

    static Map<String, Object> slowQuery(SlowQuery q) {
        var v = new LinkedHashMap<String, Object>();
        v.put("time", time(q.time()));
        v.put("queryId", q.queryId());
        v.put("cluster", q.cluster());
        v.put("instance", q.instance());
        v.put("schema", q.schema());
        v.put("user", q.user());
        v.put("clientHost", q.clientHost());
        v.put("queryTime", number(q.queryTime()));
        v.put("lockTime", number(q.lockTime()));
        v.put("rowsSent", q.rowsSent());
        v.put("rowsExamined", q.rowsExamined());
        v.put("rowsAffected", q.rowsAffected());
        v.put("query", q.query());
        v.put("truncated", q.truncated());
        return v;
    }

    static Map<String, Object> classReport(ClassReport r) {
        var v = new LinkedHashMap<String, Object>();
        v.put("queryId", r.queryId());
        v.put("fingerprint", r.fingerprint());
        v.put("window", window(r.window()));
        var stats = new LinkedHashMap<String, Object>();
        stats.put("count", r.count());
        stats.put("totalSeconds", number(r.totalSeconds()));
        stats.put("avgSeconds", number(r.avgSeconds()));
        stats.put("minSeconds", number(r.minSeconds()));
        stats.put("maxSeconds", number(r.maxSeconds()));
        stats.put("p50Seconds", number(r.p50Seconds()));
        stats.put("p95Seconds", number(r.p95Seconds()));
        stats.put("p99Seconds", number(r.p99Seconds()));
        stats.put("lockSeconds", number(r.lockSeconds()));
        stats.put("rowsExamined", r.rowsExamined());
        stats.put("rowsSent", r.rowsSent());
        v.put("stats", stats);
        v.put("intervalSeconds", r.interval().toSeconds());
        v.put("histogram", r.histogram().stream().map(b -> {
            var bucket = new LinkedHashMap<String, Object>();
            bucket.put("start", b.start().toString());
            bucket.put("count", b.count());
            bucket.put("totalSeconds", number(b.totalSeconds()));
            return bucket;
        }).toList());
        v.put("samples", r.samples().stream().map(LogViews::slowQuery).toList());
        return v;
    }

    static Map<String, Object> errorEvent(ErrorEvent e) {
        var v = new LinkedHashMap<String, Object>();
        v.put("time", time(e.time()));
        v.put("cluster", e.cluster());
        v.put("instance", e.instance());
        v.put("host", e.host());
        v.put("severity", e.severity());
        v.put("code", e.code());
        v.put("subsystem", e.subsystem());
        v.put("kind", e.kind());
        v.put("thread", e.thread());
        v.put("message", e.message());
        return v;
    }

    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Double number(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
