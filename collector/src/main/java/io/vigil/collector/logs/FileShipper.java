package io.vigil.collector.logs;

import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.slowlog.ParseError;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.ShippedSlowQuery;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Ships one log file: reads what is new, frames it into whole entries, sends them and stores the checkpoint
 * once Kafka has them.
 *
 * <p>An entry is complete once the next one begins. The last entry of the file is held until then, or until
 * the file has been quiet for the quiet period (servers write an entry at once), counted from the file's last
 * modification: the end of a file nobody has written for that long is shipped at once. A line without its newline
 * is held until the newline comes. A file rotated away (or deleted) is followed while it grows; once it has
 * been still for the rotation grace, the rest of it is shipped, a last line without newline too, and the
 * shipper moves on to the file the path names now.
 */
public final class FileShipper implements ShippingSource {

    private static final Logger LOG = Logger.getLogger(FileShipper.class);

    private final LogSource source;
    private final Path path;
    private final LogFormat format;
    private final BatchSink sink;
    private final CheckpointStore checkpoints;
    private final ShipperSettings settings;
    private final ShipperCounters counters;
    private final LongSupplier nanoTime;
    private final FileTailer tailer;

    private boolean missing;
    private long lastSeenEnd = -1;
    private long lastChange;
    /** The last entry of the last read, held back; shipped if the file is truncated before it is. */
    private ShipItem held;
    private String heldFileId;
    private long heldEnd;

    /**
     * @param nanoTime the clock of the quiet period and the rotation grace
     * @param wall     the clock the file's modification time is compared with: a file not written for the quiet
     *                 period by then is quiet already when first read to its end
     */
    public FileShipper(LogSource source, Path path, LogFormat format, BatchSink sink, CheckpointStore checkpoints,
                       ShipperSettings settings, ShipperCounters counters, LongSupplier nanoTime, Clock wall)
            throws IOException {
        this.source = source;
        this.path = path;
        this.format = format;
        this.sink = sink;
        this.checkpoints = checkpoints;
        this.settings = settings;
        this.counters = counters;
        this.nanoTime = nanoTime;
        this.tailer = new FileTailer(path, checkpoints.load(source.key()), wall);
    }

    @Override
    public String describe() {
        return source.kind().name().toLowerCase(Locale.ROOT) + " log " + path + " of " + source.instance();
    }

    @Override
    public boolean poll() throws IOException, ShipException {
        if (quietFor(settings.rotationGrace()) && tailer.moveOn()) {
            lastSeenEnd = -1;
            counters.rotated();
            LOG.infof("%s: rotated; now reading the new file from its start", describe());
            if (tailer.fileId() != null) {
                checkpoints.save(source.key(), new Checkpoint(tailer.fileId(), tailer.position()));
            }
        }
        int limit = settings.readBytes();
        while (true) {
            FileTailer.Window w = tailer.read(limit);
            if (w.absent()) {
                if (!missing) {
                    // Once, not every poll: a file that does not exist yet (a server not started) is waited for.
                    LOG.warnf("%s: no such file; shipping it once it appears", describe());
                    missing = true;
                }
                return false;
            }
            missing = false;
            if (w.truncated()) {
                truncated(w);
                continue;
            }
            noteChange(w);
            // A rotated-away file that stopped growing is done: ship all of it, a last line without newline too.
            boolean finished = w.detached() && w.atEnd() && quietFor(settings.rotationGrace());
            boolean canGrow = !w.atEnd() && limit < settings.maxEntryBytes();
            int parseLength = finished ? w.length() : w.complete();
            if (parseLength == 0 && !w.atEnd() && !canGrow) {
                parseLength = w.length(); // a line longer than the largest entry: cut it here, the parser reports it
            }
            List<ShipItem> items = parseLength == 0 ? List.of()
                    : format.parse(w.bytes(), parseLength, w.start(), path.toString());
            Cut cut = cut(w, items, parseLength, finished, canGrow);
            if (cut.end() == w.start() && canGrow) {
                limit = (int) Math.min((long) limit * 2, settings.maxEntryBytes());
                continue; // one entry larger than the window: read more of it
            }
            if (cut.end() == w.start()) {
                return false;
            }
            ship(w.fileId(), w.start(), cut.end(), cut.items());
            return true;
        }
    }

    /** What to ship of a read: items in file order, and the offset where the next read begins. */
    private record Cut(List<ShipItem> items, long end) {
    }

    /**
     * Every item but the last, which may still be written: it is held until the next begins, the file has been
     * quiet for the quiet period, or the file is finished. A read that cannot grow is shipped whole. However many
     * entries the read holds, all go: {@link #ship} cuts them into batches.
     */
    private Cut cut(FileTailer.Window w, List<ShipItem> items, int parseLength, boolean finished, boolean canGrow) {
        long parsedEnd = w.start() + parseLength;
        held = null;
        Cut cut;
        if (finished || (w.atEnd() && !w.partialLine() && quietFor(settings.quietPeriod()))
                || (!w.atEnd() && !canGrow && items.size() <= 1)) {
            cut = new Cut(items, parsedEnd);
        } else if (items.isEmpty()) {
            cut = new Cut(items, w.start());
        } else {
            ShipItem last = items.getLast();
            cut = new Cut(items.subList(0, items.size() - 1), last.offset());
            if (w.atEnd()) {
                held = last;
                heldFileId = w.fileId();
                heldEnd = parsedEnd;
            }
        }
        return cut;
    }

    private void truncated(FileTailer.Window w) throws IOException, ShipException {
        counters.truncated();
        LOG.infof("%s: truncated in place at byte %d; reading it again from the start", describe(), w.start());
        if (held != null && heldFileId.equals(w.fileId()) && held.offset() >= w.start()) {
            // Its bytes are gone from the file: ship it from memory rather than lose it.
            ship(w.fileId(), held.offset(), heldEnd, List.of(held));
        }
        held = null;
        tailer.restart();
        lastSeenEnd = -1;
        checkpoints.save(source.key(), new Checkpoint(w.fileId(), 0));
    }

    private void noteChange(FileTailer.Window w) {
        long now = nanoTime.getAsLong();
        if (w.end() != lastSeenEnd) {
            lastSeenEnd = w.end();
            // Written long before this read (a backlog, a restart): the quiet time counts from the last write.
            lastChange = now - w.unchangedNanos();
        }
    }

    private boolean quietFor(Duration d) {
        return lastSeenEnd >= 0 && nanoTime.getAsLong() - lastChange >= d.toNanos();
    }

    /**
     * Ships {@code items}, read from {@code start} to {@code end}, in batches of at most the configured entries: a
     * read of a megabyte holds a few thousand entries, and every one is parsed and fingerprinted once, not again
     * in the next poll. The checkpoint moves after each batch Kafka has.
     */
    private void ship(String fileId, long start, long end, List<ShipItem> items) throws IOException, ShipException {
        int per = settings.batchMaxEntries();
        for (int from = 0; from == 0 || from < items.size(); from += per) {
            int to = Math.min(items.size(), from + per);
            shipBatches(fileId, from == 0 ? start : items.get(from).offset(), to == items.size() ? end : items.get(to).offset(),
                    items.subList(from, to));
        }
    }

    private void shipBatches(String fileId, long start, long end, List<ShipItem> items) throws IOException, ShipException {
        var batches = BatchPacker.pack(items, settings.batchMaxBytes(), (all, from, to) -> batch(fileId,
                from == 0 ? start : all.get(from).offset(), to == all.size() ? end : all.get(to).offset(),
                all.subList(from, to)));
        for (EncodedBatch b : batches) {
            if (b.json().length > settings.batchMaxBytes()) {
                b = oversized(fileId, b);
            }
            long batchEnd = b.batch().endOffset();
            // Lines that hold no entry (a server's start banner) need no record, only a checkpoint past them.
            if (b.batch().size() + b.batch().parseErrors().size() > 0) {
                try {
                    sink.send(b);
                } catch (ShipException e) {
                    counters.sendFailed();
                    throw e;
                }
                counters.shipped(b, batchEnd - b.batch().startOffset());
            }
            tailer.advanceTo(batchEnd);
            checkpoints.save(source.key(), new Checkpoint(fileId, batchEnd));
        }
    }

    /** An entry too large for a Kafka record even alone: its place and size are shipped as a parse error. */
    private EncodedBatch oversized(String fileId, EncodedBatch b) {
        counters.tooLarge();
        LogBatch big = b.batch();
        var error = new ParseError(path.toString(), big.startOffset(), "entry of " + (big.endOffset() - big.startOffset())
                + " bytes does not fit a Kafka record of " + settings.batchMaxBytes() + " bytes even with its query cut; not shipped");
        LOG.warnf("%s: %s", describe(), error);
        return BatchPacker.pack(List.<ShipItem>of(new ShipItem.Malformed(error)), Integer.MAX_VALUE,
                (all, from, to) -> batch(fileId, big.startOffset(), big.endOffset(), all)).getFirst();
    }

    private LogBatch batch(String fileId, long start, long end, List<ShipItem> items) {
        var slow = new ArrayList<ShippedSlowQuery>();
        var errors = new ArrayList<ErrorLogEvent>();
        var bad = new ArrayList<ParseError>();
        for (ShipItem item : items) {
            switch (item) {
                case ShipItem.Slow s -> slow.add(s.query());
                case ShipItem.Error e -> errors.add(e.event());
                case ShipItem.Malformed m -> bad.add(m.error());
            }
        }
        return new LogBatch(source, fileId, start, end, slow, errors, List.of(), bad);
    }

    @Override
    public void close() {
        try {
            tailer.close();
        } catch (IOException e) {
            LOG.debugf("%s: closing: %s", describe(), e.getMessage());
        }
    }
}
