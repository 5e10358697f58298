package io.vigil.logs.digest;

import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.slowlog.ParseStats;
import io.vigil.logs.slowlog.SlowLogEntry;
import io.vigil.logs.slowlog.SlowLogParser;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One streaming pass over a slow log: the parser runs on its own thread and hands batches of entries to the
 * calling thread, which fingerprints and aggregates them. Memory is the classes' value arrays, not the log.
 */
public final class Digest {

    private static final int BATCH = 4096;
    private static final List<SlowLogEntry> END = List.of();
    /** The class of statements the regex port cannot handle without exhausting the stack. */
    public static final String UNFINGERPRINTABLE = "(statement too complex to fingerprint)";

    private final Fingerprinter fingerprinter;
    private final Map<String, QueryClass> classes = new HashMap<>();
    /** Statements that repeat verbatim (BEGIN, COMMIT, admin commands) skip the regex chain. */
    private final Map<String, String> recent = new HashMap<>();

    public Digest(Fingerprinter fingerprinter) {
        this.fingerprinter = fingerprinter;
    }

    public record Result(List<QueryClass> classes, ParseStats stats) {
    }

    public Result run(String source, InputStream in) throws IOException, InterruptedException {
        BlockingQueue<List<SlowLogEntry>> queue = new ArrayBlockingQueue<>(16);
        var stats = new AtomicReference<ParseStats>();
        var failure = new AtomicReference<Throwable>();
        var parser = Thread.ofPlatform().name("slowlog-parser").start(() -> {
            var batch = new ArrayList<SlowLogEntry>(BATCH);
            try {
                stats.set(new SlowLogParser(source).withoutAttributes().parse(in, e -> {
                    batch.add(e);
                    if (batch.size() == BATCH) {
                        put(queue, List.copyOf(batch));
                        batch.clear();
                    }
                }));
                put(queue, List.copyOf(batch));
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                put(queue, END);
            }
        });
        for (List<SlowLogEntry> batch; (batch = queue.take()) != END; ) {
            for (var e : batch) {
                add(e);
            }
        }
        parser.join();
        if (failure.get() instanceof IOException io) {
            throw io;
        } else if (failure.get() != null) {
            throw new IllegalStateException("parser failed on " + source, failure.get());
        }
        return new Result(new ArrayList<>(classes.values()), stats.get());
    }

    private void add(SlowLogEntry e) {
        String q = e.query();
        String fp = q.length() <= 64 ? recent.get(q) : null;
        if (fp == null) {
            try {
                fp = fingerprinter.fingerprint(q);
            } catch (StackOverflowError tooDeep) {
                // a pathological statement (deeply repeated groups) must not end the whole digest
                fp = UNFINGERPRINTABLE;
            }
            if (q.length() <= 64 && recent.size() < 4096) {
                recent.put(q, fp);
            }
        }
        classes.computeIfAbsent(fp, QueryClass::new).add(e);
    }

    private static void put(BlockingQueue<List<SlowLogEntry>> queue, List<SlowLogEntry> batch) {
        try {
            queue.put(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted"));
        }
    }
}
