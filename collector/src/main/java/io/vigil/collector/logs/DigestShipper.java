package io.vigil.collector.logs;

import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.StatementDigestDelta;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Ships a server's statement digests as differences between reads. The first read after start is only the
 * baseline. A digest's baseline moves only once Kafka has its delta, so while Kafka is down the next delta
 * simply covers the longer time and nothing is counted twice or lost.
 */
public final class DigestShipper implements ShippingSource {

    private final LogSource source;
    private final DigestReader reader;
    private final DigestDiff diff;
    private final BatchSink sink;
    private final ShipperSettings settings;
    private final ShipperCounters counters;
    private final Duration interval;
    private final Clock clock;
    private final LongSupplier nanoTime;

    private final Map<DigestRow.Key, DigestDiff.Seen> shipped = new HashMap<>();
    private Instant lastRead;
    private long nextRead;
    private List<DigestDiff.Change> unsent = List.of();
    private Map<DigestRow.Key, DigestRow> unsentRead;
    private Instant unsentAt;

    public DigestShipper(LogSource source, DigestReader reader, Fingerprinter fingerprinter, BatchSink sink,
                         ShipperSettings settings, ShipperCounters counters, Duration interval, Clock clock,
                         LongSupplier nanoTime) {
        this.source = source;
        this.reader = reader;
        this.diff = new DigestDiff(fingerprinter);
        this.sink = sink;
        this.settings = settings;
        this.counters = counters;
        this.interval = interval;
        this.clock = clock;
        this.nanoTime = nanoTime;
    }

    @Override
    public String describe() {
        return "statement digests of " + source.instance();
    }

    @Override
    public boolean poll() throws ShipException, IOException {
        if (unsent.isEmpty()) {
            if (lastRead != null && nanoTime.getAsLong() - nextRead < 0) {
                return false;
            }
            nextRead = nanoTime.getAsLong() + interval.toNanos();
            Map<DigestRow.Key, DigestRow> now;
            try {
                now = reader.read();
            } catch (SQLException e) {
                throw new IOException(e.getMessage(), e);
            }
            Instant at = clock.instant();
            if (lastRead == null) {
                now.values().forEach(r -> shipped.put(r.key(), new DigestDiff.Seen(r, at)));
                lastRead = at;
                return false;
            }
            unsent = diff.between(shipped, lastRead, now, at);
            unsentRead = now;
            unsentAt = at;
        }
        shipUnsent();
        // Digests gone from the table are forgotten: if they come back, they count whole from this read.
        shipped.keySet().retainAll(unsentRead.keySet());
        lastRead = unsentAt;
        return false;
    }

    private void shipUnsent() throws ShipException {
        for (int from = 0; from < unsent.size(); from += settings.batchMaxEntries()) {
            var chunk = unsent.subList(from, Math.min(unsent.size(), from + settings.batchMaxEntries()));
            for (EncodedBatch b : BatchPacker.pack(chunk, settings.batchMaxBytes(), this::batch)) {
                try {
                    sink.send(b);
                } catch (ShipException e) {
                    counters.sendFailed();
                    unsent = new ArrayList<>(unsent.subList(unsentIndex(b), unsent.size()));
                    throw e;
                }
                counters.shipped(b, 0);
                for (StatementDigestDelta d : b.batch().digests()) {
                    DigestRow row = unsentRead.get(new DigestRow.Key(d.schema(), d.digest()));
                    shipped.put(row.key(), new DigestDiff.Seen(row, unsentAt));
                }
            }
        }
        unsent = List.of();
    }

    /** Where the batch that failed begins among the unsent changes. */
    private int unsentIndex(EncodedBatch failed) {
        StatementDigestDelta first = failed.batch().digests().getFirst();
        for (int i = 0; i < unsent.size(); i++) {
            if (unsent.get(i).delta() == first) {
                return i;
            }
        }
        return 0;
    }

    private LogBatch batch(List<DigestDiff.Change> changes, int from, int to) {
        var deltas = changes.subList(from, to).stream().map(DigestDiff.Change::delta).toList();
        return new LogBatch(source, "", 0, 0, List.of(), List.of(), deltas, List.of());
    }

    @Override
    public void close() {
        reader.close();
    }
}
