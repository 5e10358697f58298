package io.vigil.logs.digest;

import io.vigil.logs.fingerprint.FingerprintOptions;
import io.vigil.logs.fingerprint.Fingerprinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * {@code vigil digest SLOWLOG [--format text|json] [--order-by sum|count|p95] [--limit N] [--fixes]}: a
 * pt-query-digest-style profile of a slow log. Classes are pt-query-digest 3.2.1's unless {@code --fixes}
 * turns on Vigil's fingerprint fixes. {@code --limit 0} prints every class.
 */
public final class DigestCommand {

    private static final String USAGE = "usage: vigil digest SLOWLOG [--format text|json] [--order-by sum|count|p95]"
            + " [--limit N] [--fixes]";

    record Options(Path file, boolean json, String orderBy, int limit, boolean fixes) {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("vigil digest: " + e.getMessage() + "\n" + USAGE);
            System.exit(2);
            return;
        }
        if (o == null) {
            System.out.println(USAGE);
            return;
        }
        var fingerprinter = new Fingerprinter(o.fixes() ? FingerprintOptions.VIGIL : FingerprintOptions.PT_QUERY_DIGEST);
        Digest.Result result;
        try (var in = Files.newInputStream(o.file())) {
            result = new Digest(fingerprinter).run(o.file().toString(), in);
        } catch (IOException e) {
            System.err.println("vigil digest: cannot read " + o.file() + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        var report = new DigestReport(result, comparator(o.orderBy()), o.limit());
        var out = new BufferedWriter(new OutputStreamWriter(new PrintStream(System.out, false), StandardCharsets.UTF_8),
                1 << 16);
        if (o.json()) {
            report.writeJson(out);
        } else {
            report.writeText(out);
        }
        out.flush();
        for (var error : result.stats().errors().subList(0, Math.min(10, result.stats().errors().size()))) {
            System.err.println("vigil digest: skipped a malformed entry: " + error);
        }
        if (result.stats().errorCount() > 10) {
            System.err.println("vigil digest: " + result.stats().errorCount() + " malformed entries in all");
        }
    }

    static Options parse(String[] args) {
        Path file = null;
        boolean json = false;
        String orderBy = "sum";
        int limit = 20;
        boolean fixes = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--format" -> json = switch (value(args, ++i, a)) {
                    case "json" -> true;
                    case "text" -> false;
                    default -> throw new IllegalArgumentException("--format is text or json");
                };
                case "--order-by" -> {
                    orderBy = value(args, ++i, a);
                    if (!List.of("sum", "count", "p95").contains(orderBy)) {
                        throw new IllegalArgumentException("--order-by is sum, count or p95");
                    }
                }
                case "--limit" -> {
                    try {
                        limit = Integer.parseInt(value(args, ++i, a));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--limit needs a number");
                    }
                    if (limit < 0) {
                        throw new IllegalArgumentException("--limit needs a number >= 0");
                    }
                }
                case "--fixes" -> fixes = true;
                default -> {
                    if (a.startsWith("-") || file != null) {
                        throw new IllegalArgumentException("unexpected argument " + a);
                    }
                    file = Path.of(a);
                }
            }
        }
        if (file == null) {
            throw new IllegalArgumentException("no slow log given");
        }
        return new Options(file, json, orderBy, limit, fixes);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    static Comparator<DigestReport.Row> comparator(String orderBy) {
        Comparator<DigestReport.Row> c = switch (orderBy) {
            case "count" -> Comparator.comparingLong(r -> r.queryTime().count());
            case "p95" -> Comparator.comparingDouble(r -> r.queryTime().p95());
            default -> Comparator.comparingDouble(r -> r.queryTime().sum());
        };
        return c.reversed().thenComparing(DigestReport.Row::fingerprint);
    }
}
