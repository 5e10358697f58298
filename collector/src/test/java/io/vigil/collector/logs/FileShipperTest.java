package io.vigil.collector.logs;

import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.fingerprint.FingerprintOptions;
import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.wire.LogBatch;
import io.vigil.logs.wire.LogKind;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.ShippedSlowQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static io.vigil.collector.logs.SlowLogLines.append;
import static io.vigil.collector.logs.SlowLogLines.entries;
import static io.vigil.collector.logs.SlowLogLines.entry;
import static io.vigil.collector.logs.SlowLogLines.numbers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The file shipper on real files: rotation, truncation, restarts, partial lines, huge and broken entries. */
class FileShipperTest {

    private static final ShipperSettings SETTINGS = ShipperSettings.DEFAULTS;
    private static final Duration QUIET = SETTINGS.quietPeriod();

    @TempDir
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private final ManualTime time = new ManualTime();
    private final ShipperCounters counters = new ShipperCounters();

    private FileShipper shipper(Path file, LogKind kind, ShipperSettings settings) throws IOException {
        var source = new LogSource("db-host-1", "pay", "10.0.0.1:3306", kind, file.toString());
        return new FileShipper(source, file, LogShippers.format(kind, settings), sink, new CheckpointStore(dir.resolve("state")),
                settings, counters, time, time.wall());
    }

    private FileShipper slowShipper(Path file) throws IOException {
        return shipper(file, LogKind.SLOW, SETTINGS);
    }

    /** Polls until nothing is left to ship, then lets the quiet period and the rotation grace pass, twice. */
    private void drain(FileShipper shipper) throws Exception {
        for (int i = 0; i < 3; i++) {
            pollUntilIdle(shipper);
            time.advance(SETTINGS.rotationGrace());
        }
        pollUntilIdle(shipper);
    }

    private static void pollUntilIdle(FileShipper shipper) throws Exception {
        for (int i = 0; i < 1000 && shipper.poll(); i++) {
            // more to ship
        }
    }

    private static List<Integer> upTo(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void theLastEntryWaitsForTheNextOneOrForTheQuietPeriod() throws Exception {
        Path log = dir.resolve("slow.log");
        append(log, entries(0, 3));
        try (var shipper = slowShipper(log)) {
            pollUntilIdle(shipper);
            assertThat(numbers(sink)).as("the third may still be written").containsExactly(0, 1);
            append(log, entry(3));
            pollUntilIdle(shipper);
            assertThat(numbers(sink)).containsExactly(0, 1, 2);
            time.advance(QUIET);
            pollUntilIdle(shipper);
            assertThat(numbers(sink)).containsExactly(0, 1, 2, 3);
        }
        LogBatch last = sink.batches.getLast();
        assertThat(last.endOffset()).isEqualTo(Files.size(log));
        assertThat(last.fileId()).isEqualTo(FileIdentity.of(log).toString());
        assertThat(last.source().key()).isEqualTo("db-host-1:" + log);
    }

    @Test
    void theLastEntryOfAFileNotWrittenForTheQuietPeriodGoesAtOnce() throws Exception {
        Path log = dir.resolve("slow.log");
        append(log, entries(0, 3));
        Files.setLastModifiedTime(log, FileTime.from(time.wall().instant().minus(QUIET)));
        try (var shipper = slowShipper(log)) {
            pollUntilIdle(shipper);
            assertThat(numbers(sink)).as("a file nobody wrote for the quiet period is complete").containsExactly(0, 1, 2);
            append(log, entry(3) + entry(4)); // written now, by the wall clock's reckoning
            Files.setLastModifiedTime(log, FileTime.from(time.wall().instant()));
            pollUntilIdle(shipper);
            assertThat(numbers(sink)).as("the last one may still be written").containsExactly(0, 1, 2, 3);
        }
    }

    @Test
    void startingAtTheEndShipsOnlyWhatIsWrittenAfterTheFirstStartAndKeepsThatAcrossARestart() throws Exception {
        Path log = dir.resolve("slow.log");
        append(log, entries(0, 5)); // years of slow log already there
        new CheckpointStore(dir.resolve("state")).startAtEndIfNew("db-host-1:" + log, log);
        try (var shipper = slowShipper(log)) {
            drain(shipper);
            assertThat(sink.batches).as("nothing of what was there").isEmpty();
        }
        append(log, entries(5, 8)); // written while the shipper was stopped, after its first start
        new CheckpointStore(dir.resolve("state")).startAtEndIfNew("db-host-1:" + log, log); // a restart: no effect now
        try (var shipper = slowShipper(log)) {
            drain(shipper);
        }
        assertThat(numbers(sink)).containsExactly(5, 6, 7);
    }

    @Test
    void startingAtTheEndReadsAFileThatAppearsLaterFromItsStart() throws Exception {
        Path log = dir.resolve("slow.log");
        new CheckpointStore(dir.resolve("state")).startAtEndIfNew("db-host-1:" + log, log);
        append(log, entries(0, 3));
        try (var shipper = slowShipper(log)) {
            drain(shipper);
        }
        assertThat(numbers(sink)).containsExactly(0, 1, 2);
    }

    @Test
    void followsARotationByRenameReadingTheOldFileToItsEnd() throws Exception {
        Path log = dir.resolve("slow.log");
        Path rotated = dir.resolve("slow.log.1");
        append(log, entries(0, 10));
        String oldId = FileIdentity.of(log).toString();
        try (var shipper = slowShipper(log)) {
            pollUntilIdle(shipper);
            Files.move(log, rotated);
            append(rotated, entries(10, 12)); // the server still writes to the file it has open
            pollUntilIdle(shipper);
            time.advance(QUIET);
            pollUntilIdle(shipper);
            assertThat(numbers(sink)).as("the renamed file read to its end").containsExactlyElementsOf(upTo(12));
            append(rotated, entries(12, 14)); // and goes on writing to it
            pollUntilIdle(shipper);
            append(log, entries(14, 17));     // until it reopens the path (FLUSH SLOW LOGS)
            drain(shipper);
        }
        assertThat(numbers(sink)).containsExactlyElementsOf(upTo(17));
        String newId = FileIdentity.of(log).toString();
        assertThat(sink.batches).extracting(LogBatch::fileId).containsOnly(oldId, newId);
        var inNewFile = sink.batches.stream().filter(b -> b.fileId().equals(newId)).flatMap(b -> b.slow().stream()).toList();
        assertThat(inNewFile.getFirst().entry().offset()).as("offsets of the new file start at 0").isZero();
        assertThat(inNewFile.get(1).entry().offset()).isEqualTo(entry(14).getBytes(StandardCharsets.UTF_8).length);
        assertThat(counters.rotations()).isEqualTo(1);
    }

    @Test
    void startsAgainAtZeroAfterACopyTruncateAndKeepsTheEntryItHeld() throws Exception {
        Path log = dir.resolve("slow.log");
        append(log, entries(0, 5));
        try (var shipper = slowShipper(log)) {
            drain(shipper);
            assertThat(numbers(sink)).containsExactlyElementsOf(upTo(5));
            Files.copy(log, dir.resolve("slow.log.1"));
            truncate(log);
            append(log, entries(5, 7));
            drain(shipper);
            assertThat(numbers(sink)).containsExactlyElementsOf(upTo(7));

            append(log, entries(7, 12));
            pollUntilIdle(shipper); // 7 to 10 shipped, 11 held
            assertThat(numbers(sink)).containsExactlyElementsOf(upTo(11));
            Files.copy(log, dir.resolve("slow.log.2"));
            truncate(log);
            append(log, entry(12));
            drain(shipper);
        }
        assertThat(numbers(sink)).containsExactlyElementsOf(upTo(13));
        assertThat(counters.truncations()).isEqualTo(2);
        assertThat(sink.batches.getLast().slow().getLast().entry().offset()).as("the new content is read from 0").isZero();
    }

    @Test
    void resumesFromItsCheckpointWithoutLossOrDuplicates() throws Exception {
        Path log = dir.resolve("slow.log");
        append(log, entries(0, 50));
        var small = SETTINGS.withBatchMaxEntries(7);
        // One read holds all 50 entries, shipped 7 a batch; Kafka goes down after the second batch.
        try (var first = shipper(log, LogKind.SLOW, small)) {
            sink.refuseAfter(2);
            assertThatThrownBy(first::poll).isInstanceOf(ShipException.class);
        }
        assertThat(numbers(sink)).containsExactlyElementsOf(upTo(14));

        // The second run finds Kafka refusing a batch: nothing may move until it is taken.
        Path checkpoint;
        try (var second = shipper(log, LogKind.SLOW, small)) {
            sink.refuseAfter(1);
            assertThatThrownBy(second::poll).isInstanceOf(ShipException.class);
            try (var files = Files.list(dir.resolve("state"))) {
                checkpoint = files.filter(f -> f.toString().endsWith(".checkpoint")).findFirst().orElseThrow();
            }
            String before = Files.readString(checkpoint);
            sink.refuseNext(1);
            assertThatThrownBy(second::poll).isInstanceOf(ShipException.class);
            assertThat(Files.readString(checkpoint)).as("checkpoint after a refused send").isEqualTo(before);
            assertThat(before).contains("offset=" + (long) entries(0, 21).getBytes(StandardCharsets.UTF_8).length);
        }
        // Rotated while no shipper ran: the rest of the old file comes first, then the new file.
        append(log, entries(50, 55));
        Files.move(log, dir.resolve("slow.log.1"));
        append(log, entries(55, 60));
        try (var third = slowShipper(log)) {
            drain(third);
        }
        assertThat(numbers(sink)).containsExactlyElementsOf(upTo(60));
        assertThat(counters.sendFailures()).isEqualTo(3);
    }

    @Test
    void holdsAPartialLineUntilItsNewline() throws Exception {
        Path log = dir.resolve("slow.log");
        String second = entry(1);
        append(log, entry(0) + second.substring(0, second.length() - 8));
        try (var shipper = slowShipper(log)) {
            drain(shipper);
            assertThat(numbers(sink)).as("entry 1 is half written").containsExactly(0);
            append(log, second.substring(second.length() - 8));
            drain(shipper);
        }
        assertThat(sink.queries()).containsExactly("SELECT c FROM sbtest1 WHERE id = 0", "SELECT c FROM sbtest1 WHERE id = 1");
    }

    @Test
    void shipsAOneMegabyteQueryCutButFingerprintedWhole() throws Exception {
        Path log = dir.resolve("slow.log");
        var values = new StringBuilder("INSERT INTO sbtest1 (id, k, c) VALUES ");
        for (int i = 0; values.length() < 1_200_000; i++) {
            values.append(i == 0 ? "" : ",").append('(').append(i).append(", ").append(i * 7).append(", 'row-").append(i).append("')");
        }
        String big = values.toString();
        append(log, entry(0) + entry(1, big) + entry(2));
        try (var shipper = slowShipper(log)) {
            drain(shipper);
        }
        List<ShippedSlowQuery> shipped = sink.batches.stream().flatMap(b -> b.slow().stream()).toList();
        assertThat(shipped).hasSize(3);
        ShippedSlowQuery insert = shipped.get(1);
        assertThat(insert.queryBytes()).isEqualTo(big.length());
        assertThat(insert.truncated()).isTrue();
        assertThat(insert.entry().query()).hasSize(SETTINGS.maxQueryBytes()).isEqualTo(big.substring(0, SETTINGS.maxQueryBytes()));
        String whole = new Fingerprinter(FingerprintOptions.VIGIL).fingerprint(big);
        assertThat(insert.fingerprint()).isEqualTo(whole).isEqualTo("insert into sbtest1 (id, k, c) values(?+)");
        assertThat(sink.sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(SETTINGS.batchMaxBytes()));
        assertThat(shipped.get(2).entry().offset()).isEqualTo((entry(0) + entry(1, big)).length());
    }

    @Test
    void invalidUtf8AndBinaryBytesDoNotStopTheSlowLog() throws Exception {
        Path log = dir.resolve("slow.log");
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes(entry(0).getBytes(StandardCharsets.UTF_8));
        byte[] bad = entry(1, "SELECT 'caf\u00e9 XX' FROM t WHERE id = 1").getBytes(StandardCharsets.UTF_8);
        String badText = new String(bad, StandardCharsets.ISO_8859_1);
        int at = badText.indexOf("XX");
        bad[at] = (byte) 0xff;  // never valid in UTF-8
        bad[at + 1] = 0;        // a NUL
        bytes.writeBytes(bad);
        long thirdAt = bytes.size();
        bytes.writeBytes(new byte[] {(byte) 0xc3, 0x01, 0x02, '\n'}); // a cut sequence and control bytes on a line
        bytes.writeBytes(entry(2).getBytes(StandardCharsets.UTF_8));
        append(log, bytes.toByteArray());
        try (var shipper = slowShipper(log)) {
            drain(shipper);
        }
        List<String> queries = sink.queries();
        assertThat(queries).hasSize(3);
        assertThat(queries.get(1)).startsWith("SELECT 'caf\u00e9 \ufffd\u0000' FROM t");
        assertThat(queries.get(1)).contains("\ufffd\u0001\u0002"); // the stray line belongs to the statement text
        assertThat(queries.get(2)).isEqualTo("SELECT c FROM sbtest1 WHERE id = 2");
        assertThat(sink.batches.stream().flatMap(b -> b.slow().stream()).toList().get(2).entry().offset())
                .isEqualTo(thirdAt + 4);
    }

    @Test
    void errorLogOffsetsStayTrueAfterInvalidBytes() throws Exception {
        Path log = dir.resolve("error.log");
        var bytes = new ByteArrayOutputStream();
        bytes.writeBytes("2026-12-04 21:17:26 0 [Note] InnoDB: Buffer pool(s) load completed\n".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes("2026-12-04 21:17:27 5 [Warning] Access denied for user '".getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(new byte[] {(byte) 0xfe, (byte) 0xe2, (byte) 0x82});
        bytes.writeBytes("'@'localhost' (using password: YES)\n".getBytes(StandardCharsets.UTF_8));
        long third = bytes.size();
        bytes.writeBytes("2026-12-04 21:17:28 6 [ERROR] mariadbd: Got an error writing communication packets\n".getBytes(StandardCharsets.UTF_8));
        long fourth = bytes.size();
        bytes.writeBytes("2026-12-04 21:17:29 0 [Note] mariadbd: ready for connections.\n".getBytes(StandardCharsets.UTF_8));
        append(log, bytes.toByteArray());
        try (var shipper = shipper(log, LogKind.ERROR, SETTINGS)) {
            drain(shipper);
        }
        var events = sink.batches.stream().flatMap(b -> b.errors().stream()).toList();
        assertThat(events).hasSize(4);
        assertThat(events.get(1).message()).isEqualTo("Access denied for user '???'@'localhost' (using password: YES)");
        assertThat(events.get(2).offset()).isEqualTo(third);
        assertThat(events.get(3).offset()).isEqualTo(fourth);
        assertThat(events.get(2).severity()).isEqualTo("ERROR");
    }

    @Test
    void aDeadlockReportWrittenInPiecesIsShippedAsOneEvent() throws Exception {
        Path log = dir.resolve("error.log");
        append(log, """
                2026-12-04T03:00:00.000001Z 14 [Note] [MY-012468] [InnoDB] Transactions deadlock detected, dumping detailed information.
                2026-12-04T03:00:00.000002Z 14 [Note] [MY-012469] [InnoDB] *** (1) TRANSACTION:
                TRANSACTION 2343, ACTIVE 2 sec starting index read
                """);
        try (var shipper = shipper(log, LogKind.ERROR, SETTINGS)) {
            pollUntilIdle(shipper);
            assertThat(sink.batches).as("the report is still being written").isEmpty();
            append(log, """
                    UPDATE t SET v = 2 WHERE id = 1
                    2026-12-04T03:00:00.000003Z 14 [Note] [MY-012469] [InnoDB] *** (2) TRANSACTION:
                    UPDATE t SET v = 1 WHERE id = 2
                    2026-12-04T03:00:00.000004Z 14 [Note] [MY-012469] [InnoDB] *** WE ROLL BACK TRANSACTION (2)
                    2026-12-04T03:00:05.000000Z 15 [Warning] [MY-010055] [Server] IP address '10.0.0.9' could not be resolved
                    """);
            pollUntilIdle(shipper);
            assertThat(sink.batches.stream().flatMap(b -> b.errors().stream()).toList()).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(ErrorLogEvent.Kind.DEADLOCK);
                assertThat(e.offset()).isZero();
                assertThat(e.message()).contains("*** (1) TRANSACTION:", "UPDATE t SET v = 2 WHERE id = 1",
                        "UPDATE t SET v = 1 WHERE id = 2", "*** WE ROLL BACK TRANSACTION (2)");
            });
            drain(shipper);
        }
        assertThat(sink.batches.stream().flatMap(b -> b.errors().stream()).map(ErrorLogEvent::severity).toList())
                .containsExactly("Note", "Warning");
        assertThat(counters.errorEvents()).isEqualTo(2);
    }

    @Test
    void aFileThatDisappearsAndComesBackIsFollowed() throws Exception {
        Path log = dir.resolve("slow.log");
        append(log, entries(0, 3));
        try (var shipper = slowShipper(log)) {
            pollUntilIdle(shipper);
            Files.delete(log);
            drain(shipper);
            assertThat(numbers(sink)).as("what was written before the delete").containsExactly(0, 1, 2);
            assertThat(shipper.poll()).isFalse();
            append(log, entries(3, 6));
            drain(shipper);
        }
        assertThat(numbers(sink)).containsExactlyElementsOf(upTo(6));
    }

    @Test
    void aMalformedEntryIsReportedWithItsOffsetAndTheRestIsShipped() throws Exception {
        Path log = dir.resolve("slow.log");
        String broken = entry(1).replace("# Query_time: 0.000101", "# Query_time: soon");
        append(log, entry(0) + broken + entries(2, 4));
        try (var shipper = slowShipper(log)) {
            drain(shipper);
        }
        assertThat(numbers(sink)).containsExactly(0, 2, 3);
        var errors = sink.batches.stream().flatMap(b -> b.parseErrors().stream()).toList();
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst().offset()).isEqualTo(entry(0).length());
        assertThat(errors.getFirst().source()).isEqualTo(log.toString());
        assertThat(errors.getFirst().reason()).contains("Query_time");
        assertThat(counters.parseErrors()).isEqualTo(1);
        assertThat(counters.slowQueries()).isEqualTo(3);
    }

    @Test
    void batchesAreSplitToFitARecordAndAnEntryTooLargeAloneBecomesAParseError() throws Exception {
        Path log = dir.resolve("slow.log");
        var explain = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            explain.append("# explain: ").append(i).append("\tSIMPLE\tsbtest1\tALL\tNULL\tNULL\tNULL\tNULL\t10000\t10000.00\t100.00\t100.00\n");
        }
        String withPlan = entry(5).replace("SET timestamp", explain + "SET timestamp");
        append(log, entries(0, 5) + withPlan + entries(6, 20));
        var tiny = new ShipperSettings(1000, 4096, 64, SETTINGS.pollInterval(), QUIET, 1 << 20, 16 << 20,
                SETTINGS.retryBackoffMax(), SETTINGS.rotationGrace());
        try (var shipper = shipper(log, LogKind.SLOW, tiny)) {
            drain(shipper);
        }
        assertThat(sink.batches.size()).isGreaterThan(2);
        assertThat(sink.sizes).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(4096));
        assertThat(numbers(sink)).containsExactlyElementsOf(upTo(20).stream().filter(n -> n != 5).toList());
        var errors = sink.batches.stream().flatMap(b -> b.parseErrors().stream()).toList();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.offset()).isEqualTo(entries(0, 5).length());
            assertThat(e.reason()).contains("does not fit a Kafka record of 4096 bytes");
        });
        assertThat(counters.oversized()).isEqualTo(1);
        // Consecutive batches cover the file without gap or overlap.
        for (int i = 1; i < sink.batches.size(); i++) {
            assertThat(sink.batches.get(i).startOffset()).isEqualTo(sink.batches.get(i - 1).endOffset());
        }
        assertThat(sink.batches.getLast().endOffset()).isEqualTo(Files.size(log));
    }

    private static void truncate(Path file) throws IOException {
        try (var raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(0);
        }
    }
}
