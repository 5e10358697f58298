package io.vigil.collector.logs;

import io.vigil.logs.fingerprint.FingerprintOptions;
import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.wire.LogKind;
import io.vigil.logs.wire.LogSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Puts a shipper together from what the logs file names. */
public final class LogShippers {

    /** Vigil's fingerprints: pt-query-digest's classes with the documented fixes, as search expects them. */
    private static final Fingerprinter FINGERPRINTER = new Fingerprinter(FingerprintOptions.VIGIL);
    /** Where digests are read: the path of a {@link LogKind#DIGEST} source. */
    public static final String DIGEST_PATH = "performance_schema";

    private LogShippers() {
    }

    /** Where a file without a checkpoint is first read from. */
    public enum StartAt {
        /** Its beginning: everything the file holds is shipped. */
        BEGINNING,
        /** Its current end: only what is written from now on. */
        END
    }

    public static LogShipper build(LogsFile.Plan plan, BatchSink sink, CheckpointStore checkpoints,
                                   ShipperSettings settings) throws IOException {
        return build(plan, sink, checkpoints, settings, StartAt.BEGINNING);
    }

    public static LogShipper build(LogsFile.Plan plan, BatchSink sink, CheckpointStore checkpoints,
                                   ShipperSettings settings, StartAt startAt) throws IOException {
        String host = plan.host() != null ? plan.host() : localHost();
        var counters = new ShipperCounters();
        var sources = new ArrayList<ShippingSource>();
        try {
            for (LogsFile.FileSpec f : plan.files()) {
                var source = new LogSource(host, f.cluster(), f.instance(), f.kind(), f.path().toString());
                if (startAt == StartAt.END) {
                    checkpoints.startAtEndIfNew(source.key(), f.path());
                }
                sources.add(new FileShipper(source, f.path(), format(f.kind(), settings), sink, checkpoints, settings,
                        counters, System::nanoTime, Clock.systemUTC()));
            }
        } catch (IOException e) {
            sources.forEach(ShippingSource::close);
            throw e;
        }
        for (LogsFile.DigestSpec d : plan.digests()) {
            var t = d.target();
            var source = new LogSource(t.address(), t.cluster(), t.address(), LogKind.DIGEST, DIGEST_PATH);
            sources.add(new DigestShipper(source, new DigestReader(t), FINGERPRINTER, sink, settings, counters,
                    d.interval(), Clock.systemUTC(), System::nanoTime));
        }
        return new LogShipper(List.copyOf(sources), settings, counters);
    }

    public static LogFormat format(LogKind kind, ShipperSettings settings) {
        return switch (kind) {
            case SLOW -> new SlowLogFormat(FINGERPRINTER, settings.maxQueryBytes(), settings.maxEntryBytes());
            case ERROR -> new ErrorLogFormat();
            case DIGEST -> throw new IllegalArgumentException("digests are read over SQL, not from a file");
        };
    }

    public static Fingerprinter fingerprinter() {
        return FINGERPRINTER;
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }
}
