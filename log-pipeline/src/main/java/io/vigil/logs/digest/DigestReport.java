package io.vigil.logs.digest;

import io.vigil.logs.fingerprint.QueryId;

import java.io.IOException;
import java.io.Writer;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Ranks the classes and writes them as a pt-query-digest-style text profile or as JSON. */
final class DigestReport {

    record Row(String fingerprint, String id, long count, String sample, long sampleOffset,
               Metric.Summary queryTime, Metric.Summary lockTime, Metric.Summary rowsSent,
               Metric.Summary rowsExamined) {
    }

    private final Digest.Result result;
    private final List<Row> rows;
    private final double totalTime;

    DigestReport(Digest.Result result, Comparator<Row> order, int limit) {
        this.result = result;
        var all = result.classes().stream()
                .map(c -> new Row(c.fingerprint, QueryId.of(c.fingerprint), c.count, c.sample, c.sampleOffset,
                        c.queryTime.summarize(), c.lockTime.summarize(), c.rowsSent.summarize(),
                        c.rowsExamined.summarize()))
                .sorted(order)
                .toList();
        totalTime = all.stream().mapToDouble(r -> r.queryTime().sum()).sum();
        rows = limit == 0 ? all : all.subList(0, Math.min(limit, all.size()));
    }

    List<Row> rows() {
        return rows;
    }

    void writeText(Writer out) throws IOException {
        long events = result.classes().stream().mapToLong(c -> c.count).sum();
        out.write(String.format(Locale.ROOT, "# Overall: %d total, %d unique, %.6f s; %d malformed entries skipped%n%n",
                events, result.classes().size(), totalTime, result.stats().errorCount()));
        out.write("# Profile\n");
        out.write("# Rank Query ID                           Response time      Calls R/Call   Item\n");
        out.write("# ==== ================================== ================== ===== ======== ====\n");
        int rank = 1;
        for (var r : rows) {
            out.write(String.format(Locale.ROOT, "# %4d 0x%s %10.4f %5.1f%% %7d %8.6f %s%n", rank++, r.id(),
                    r.queryTime().sum(), share(r), r.count(), r.queryTime().avg(), oneLine(r.fingerprint(), 200)));
        }
        rank = 1;
        for (var r : rows) {
            out.write(String.format(Locale.ROOT, "%n# Query %d: ID 0x%s, %d calls, %.1f%% of response time%n",
                    rank++, r.id(), r.count(), share(r)));
            out.write("# Attribute              total         min         max         avg         95%      median\n");
            seconds(out, "Exec time (s)", r.queryTime());
            seconds(out, "Lock time (s)", r.lockTime());
            rows(out, "Rows sent", r.rowsSent());
            rows(out, "Rows examined", r.rowsExamined());
            out.write("# Fingerprint: " + oneLine(r.fingerprint(), 2000) + "\n");
            out.write("# Sample (byte " + r.sampleOffset() + "): " + oneLine(r.sample(), 2000) + "\n");
        }
    }

    private double share(Row r) {
        return totalTime == 0 ? 0 : 100 * r.queryTime().sum() / totalTime;
    }

    private static void seconds(Writer out, String name, Metric.Summary s) throws IOException {
        out.write(String.format(Locale.ROOT, "# %-13s %12.6f %11.6f %11.6f %11.6f %11.6f %11.6f%n", name, s.sum(),
                s.min(), s.max(), s.avg(), s.p95(), s.median()));
    }

    private static void rows(Writer out, String name, Metric.Summary s) throws IOException {
        out.write(String.format(Locale.ROOT, "# %-13s %12.0f %11.0f %11.0f %11.2f %11.0f %11.0f%n", name, s.sum(),
                s.min(), s.max(), s.avg(), s.p95(), s.median()));
    }

    /** Keeps a report line one line: statement text may hold newlines and control bytes. */
    private static String oneLine(String s, int max) {
        var sb = new StringBuilder(Math.min(s.length(), max) + 1);
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        if (s.length() > max) {
            sb.append('…');
        }
        return sb.toString();
    }

    void writeJson(Writer out) throws IOException {
        out.write("{\"classes\":[");
        boolean first = true;
        for (var r : rows) {
            out.write(first ? "\n" : ",\n");
            first = false;
            out.write("{\"fingerprint\":");
            Json.string(out, r.fingerprint());
            out.write(",\"id\":\"" + r.id() + "\",\"count\":" + r.count());
            out.write(",\"sample\":");
            Json.string(out, r.sample());
            out.write(",\"sample_offset\":" + r.sampleOffset());
            stats(out, "query_time", r.queryTime());
            stats(out, "lock_time", r.lockTime());
            stats(out, "rows_sent", r.rowsSent());
            stats(out, "rows_examined", r.rowsExamined());
            out.write("}");
        }
        out.write(String.format(Locale.ROOT, "\n],\"malformed_entries\":%d,\"bytes\":%d}%n",
                result.stats().errorCount(), result.stats().bytes()));
    }

    private static void stats(Writer out, String name, Metric.Summary s) throws IOException {
        out.write(String.format(Locale.ROOT,
                ",\"%s\":{\"count\":%d,\"sum\":%s,\"min\":%s,\"max\":%s,\"avg\":%s,\"p95\":%s,\"median\":%s}", name,
                s.count(), num(s.sum()), num(s.min()), num(s.max()), num(s.avg()), num(s.p95()), num(s.median())));
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
