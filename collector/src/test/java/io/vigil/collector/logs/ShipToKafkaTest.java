package io.vigil.collector.logs;

import io.vigil.collector.TargetsFile;
import io.vigil.logs.fingerprint.QueryId;
import io.vigil.logs.wire.LogKind;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.ShippedSlowQuery;
import io.vigil.model.Target;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.vigil.collector.logs.SlowLogLines.append;
import static io.vigil.collector.logs.SlowLogLines.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipper against a real Kafka broker and a real MariaDB writing its slow and error logs. */
@WithServices({MariaDb.class, Kafka.class})
class ShipToKafkaTest {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ShipperSettings FAST = new ShipperSettings(1000, 900_000, 64 << 10, Duration.ofMillis(100),
            Duration.ofMillis(300), 1 << 20, 16 << 20, Duration.ofSeconds(1), Duration.ofSeconds(1));

    @TempDir
    Path dir;

    @Test
    void aRealMariaDbSlowLogErrorLogAndDigestsAreShippedAsConfigured(MariaDb mariaDb, Kafka kafka) throws Exception {
        String topic = "logs-" + UUID.randomUUID();
        String marker = "marker-" + UUID.randomUUID();
        Path targetsFile = dir.resolve("targets.yaml");
        Files.writeString(targetsFile, """
                targets:
                  - {id: mdb, kind: mysql, address: 127.0.0.1:%d, cluster: shipper-it, user: root}
                """.formatted(mariaDb.port()));
        Path logsFile = dir.resolve("logs.yaml");
        Files.writeString(logsFile, """
                host: db-host-9
                files:
                  - {path: %s, kind: slow, instance: 127.0.0.1:%d, cluster: shipper-it}
                  - {path: %s, kind: error, instance: 127.0.0.1:%d, cluster: shipper-it}
                digests:
                  - {target: mdb, interval: 1s}
                """.formatted(mariaDb.slowLogPath(), mariaDb.port(), mariaDb.errorLogPath(), mariaDb.port()));
        Map<String, Target> targets = new TargetsFile().load(targetsFile).stream()
                .collect(Collectors.toMap(Target::id, Function.identity()));
        var plan = new LogsFile().load(logsFile, targets);

        mariaDb.sql("CREATE DATABASE IF NOT EXISTS shipper_it; CREATE TABLE IF NOT EXISTS shipper_it.t (id INT PRIMARY KEY, v VARCHAR(40));"
                + " REPLACE INTO shipper_it.t VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        try (var publisher = new KafkaLogPublisher(kafka.bootstrapServers(), topic, FAST.batchMaxBytes());
             var shipper = LogShippers.build(plan, publisher, new CheckpointStore(dir.resolve("state")), FAST);
             var logs = new LogsTopic(kafka, topic)) {
            shipper.start();
            // Logged because this session lowers long_query_time; the server's own threshold is 1 s.
            var statements = new StringBuilder("SET long_query_time = 0;");
            for (int id = 1; id <= 3; id++) {
                statements.append(" SELECT '").append(marker).append("' AS m, v FROM shipper_it.t WHERE id = ").append(id).append(';');
            }
            mariaDb.sql(statements.toString());

            var received = logs.until(r -> marked(r, marker).size() == 3 && hasErrorEvent(r),
                    WAIT, "the three marked statements and an error-log event");
            // Deltas begin after the reader's first read, its baseline: a probe that shows up proves it was taken.
            long deadline = System.nanoTime() + WAIT.toNanos();
            do {
                assertThat(System.nanoTime()).as("a probe statement's digest within %s", WAIT).isLessThan(deadline);
                mariaDb.sql("SELECT COUNT(*) FROM shipper_it.t WHERE id > 0");
            } while (!logs.within(r -> r.stream().flatMap(x -> x.batch().digests().stream())
                    .anyMatch(d -> d.digestText().contains("shipper_it") && d.digestText().toLowerCase().contains("where id >")),
                    Duration.ofSeconds(3)));
            mariaDb.sql("SELECT COUNT(*) FROM shipper_it.t WHERE v = 'a'; SELECT COUNT(*) FROM shipper_it.t WHERE v = 'b';"
                    + " SELECT COUNT(*) FROM shipper_it.t WHERE v = 'c'; SELECT COUNT(*) FROM shipper_it.t WHERE v = 'd'");
            logs.until(r -> countDigests(r) >= 4, WAIT, "the digest of the four counts");
            assertThat(countDigests(received)).isEqualTo(4);
            var countDigest = received.stream().flatMap(r -> r.batch().digests().stream())
                    .filter(ShipToKafkaTest::isCountDigest).findFirst().orElseThrow();
            // The same class as the statement's slow-log entries would have.
            assertThat(countDigest.fingerprint())
                    .isEqualTo(LogShippers.fingerprinter().fingerprint("SELECT COUNT(*) FROM shipper_it.t WHERE v = 'a'"))
                    .isEqualTo("select count(*) from shipper_it.t where v = ?");
            assertThat(countDigest.queryId()).isEqualTo(QueryId.of(countDigest.fingerprint()));
            assertThat(countDigest.rowsSent()).isEqualTo(countDigest.count());

            List<ShippedSlowQuery> mine = marked(received, marker);
            assertThat(mine).extracting(q -> q.entry().query()).containsExactly(
                    "SELECT '" + marker + "' AS m, v FROM shipper_it.t WHERE id = 1",
                    "SELECT '" + marker + "' AS m, v FROM shipper_it.t WHERE id = 2",
                    "SELECT '" + marker + "' AS m, v FROM shipper_it.t WHERE id = 3");
            assertThat(mine).extracting(ShippedSlowQuery::fingerprint).containsOnly("select ? as m, v from shipper_it.t where id = ?");
            assertThat(mine.getFirst().queryId()).isEqualTo(QueryId.of("select ? as m, v from shipper_it.t where id = ?"));
            assertThat(mine.getFirst().entry().user()).isEqualTo("root");
            assertThat(mine.getFirst().entry().time()).isNotNull();
            assertThat(mine.getFirst().entry().rowsSent()).isEqualTo(1);

            var slowRecord = received.stream().filter(r -> r.batch().source().kind() == LogKind.SLOW).findFirst().orElseThrow();
            LogSource source = slowRecord.batch().source();
            assertThat(slowRecord.key()).isEqualTo("db-host-9:" + mariaDb.slowLogPath()).isEqualTo(source.key());
            assertThat(source.instance()).isEqualTo("127.0.0.1:" + mariaDb.port());
            assertThat(source.cluster()).isEqualTo("shipper-it");
            assertThat(slowRecord.batch().fileId()).isEqualTo(FileIdentity.of(mariaDb.slowLogPath()).toString());

            var digestRecord = received.stream().filter(r -> r.batch().source().kind() == LogKind.DIGEST).findFirst().orElseThrow();
            assertThat(digestRecord.key()).isEqualTo("127.0.0.1:" + mariaDb.port() + ":performance_schema");
            assertThat(shipper.counters().slowQueries()).isGreaterThanOrEqualTo(3);
            assertThat(shipper.counters().errorEvents()).isPositive();
        }
    }

    @Test
    void followsARealMariaDbSlowLogThroughARenameAndFlushSlowLogs(MariaDb mariaDb, Kafka kafka) throws Exception {
        String topic = "logs-" + UUID.randomUUID();
        String marker = "rotation-" + UUID.randomUUID();
        Path slowLog = mariaDb.slowLogPath();
        var source = new LogSource("db-host-9", "shipper-it", "127.0.0.1:" + mariaDb.port(), LogKind.SLOW, slowLog.toString());
        try (var publisher = new KafkaLogPublisher(kafka.bootstrapServers(), topic, FAST.batchMaxBytes());
             var shipper = new LogShipper(List.of(new FileShipper(source, slowLog, LogShippers.format(LogKind.SLOW, FAST),
                     publisher, new CheckpointStore(dir.resolve("state")), FAST, new ShipperCounters(), System::nanoTime,
                     Clock.systemUTC())),
                     FAST, new ShipperCounters());
             var logs = new LogsTopic(kafka, topic)) {
            shipper.start();
            String before = FileIdentity.of(slowLog).toString();
            mariaDb.sql("SET long_query_time = 0; SELECT '" + marker + "', 'a1'; SELECT '" + marker + "', 'a2'");
            logs.until(r -> marked(r, marker).size() == 2, WAIT, "the statements before the rotation");
            Files.move(slowLog, slowLog.resolveSibling("slow.log." + marker));
            // Until FLUSH SLOW LOGS the server goes on writing to the renamed file.
            mariaDb.sql("SET long_query_time = 0; SELECT '" + marker + "', 'b1'; SELECT '" + marker + "', 'b2'");
            mariaDb.sql("FLUSH SLOW LOGS");
            mariaDb.sql("SET long_query_time = 0; SELECT '" + marker + "', 'c1'; SELECT '" + marker + "', 'c2'");
            String after = FileIdentity.of(slowLog).toString();

            var received = logs.until(r -> marked(r, marker).size() >= 6, WAIT, "the statements around the rotation");
            assertThat(marked(received, marker)).extracting(q -> q.entry().query().substring(q.entry().query().length() - 3))
                    .containsExactly("a1'", "a2'", "b1'", "b2'", "c1'", "c2'");
            var files = received.stream().filter(r -> r.batch().slow().stream().anyMatch(q -> q.entry().query().contains(marker)))
                    .map(r -> r.batch().fileId()).distinct().toList();
            assertThat(files).containsExactly(before, after);
        }
    }

    @Test
    void nothingIsLostOrDuplicatedWhenKafkaWasUnreachableAndTheShipperRestarts(Kafka kafka) throws Exception {
        String topic = "logs-" + UUID.randomUUID();
        Path log = dir.resolve("slow.log");
        Path state = dir.resolve("state");
        append(log, entries(0, 30));

        try (var down = new KafkaLogPublisher("127.0.0.1:" + closedPort(), topic, FAST.batchMaxBytes(), Duration.ofSeconds(2));
             var shipper = fileShipper(log, down, state)) {
            assertThatThrownBy(shipper::poll).isInstanceOf(ShipException.class).hasMessageContaining(topic);
        }
        try (var files = Files.list(state)) {
            assertThat(files.toList()).as("no checkpoint without an acknowledgement").isEmpty();
        }

        try (var logs = new LogsTopic(kafka, topic)) {
            try (var up = new KafkaLogPublisher(kafka.bootstrapServers(), topic, FAST.batchMaxBytes());
                 var shipper = new LogShipper(List.of(fileShipper(log, up, state)), FAST, new ShipperCounters())) {
                shipper.start();
                logs.until(r -> numbers(r).contains(29), WAIT, "entries 0 to 29");
                append(log, entries(30, 40));
                logs.until(r -> numbers(r).contains(39), WAIT, "entries 30 to 39");
            }
            append(log, entries(40, 45));
            try (var up = new KafkaLogPublisher(kafka.bootstrapServers(), topic, FAST.batchMaxBytes());
                 var shipper = new LogShipper(List.of(fileShipper(log, up, state)), FAST, new ShipperCounters())) {
                shipper.start();
                // One key, one partition: a duplicate of an earlier entry would arrive before entry 44.
                logs.until(r -> numbers(r).contains(44), WAIT, "entries 40 to 44 after the restart");
            }
            assertThat(numbers(logs.received)).containsExactlyElementsOf(IntStream.range(0, 45).boxed().toList());
        }
    }

    private FileShipper fileShipper(Path log, BatchSink sink, Path state) throws IOException {
        var source = new LogSource("db-host-1", "pay", "10.0.0.1:3306", LogKind.SLOW, log.toString());
        return new FileShipper(source, log, LogShippers.format(LogKind.SLOW, FAST), sink, new CheckpointStore(state), FAST,
                new ShipperCounters(), System::nanoTime, Clock.systemUTC());
    }

    private static List<Integer> numbers(List<LogsTopic.Received> received) {
        return received.stream().flatMap(r -> r.batch().slow().stream()).map(q -> q.entry().query())
                .map(q -> Integer.parseInt(q.substring(q.lastIndexOf(' ') + 1))).toList();
    }

    private static List<ShippedSlowQuery> marked(List<LogsTopic.Received> received, String marker) {
        return received.stream().flatMap(r -> r.batch().slow().stream())
                .filter(q -> q.entry().query().contains(marker)).toList();
    }

    private static boolean hasErrorEvent(List<LogsTopic.Received> received) {
        return received.stream().anyMatch(r -> r.batch().errors().stream().anyMatch(e -> e.message().contains("ready for connections")));
    }

    private static boolean isCountDigest(io.vigil.logs.wire.StatementDigestDelta d) {
        return d.digestText().contains("COUNT") && d.digestText().contains("shipper_it") && d.digestText().contains("`v` =");
    }

    private static long countDigests(List<LogsTopic.Received> received) {
        return received.stream().flatMap(r -> r.batch().digests().stream()).filter(ShipToKafkaTest::isCountDigest)
                .mapToLong(io.vigil.logs.wire.StatementDigestDelta::count).sum();
    }

    private static int closedPort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
