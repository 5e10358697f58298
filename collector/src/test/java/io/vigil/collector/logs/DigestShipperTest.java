package io.vigil.collector.logs;

import io.vigil.logs.fingerprint.QueryId;
import io.vigil.logs.wire.LogKind;
import io.vigil.logs.wire.LogSource;
import io.vigil.logs.wire.StatementDigestDelta;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Statement digests read from a real MariaDB with performance_schema on, shipped as deltas. */
@WithServices(MariaDb.class)
class DigestShipperTest {

    private static final String STATEMENT = "SELECT v FROM digest_it.t WHERE id = ";

    private final RecordingSink sink = new RecordingSink();
    private final ShipperCounters counters = new ShipperCounters();

    private DigestShipper shipper(MariaDb mariaDb) {
        return shipper(mariaDb, Duration.ZERO, System::nanoTime);
    }

    private DigestShipper shipper(MariaDb mariaDb, Duration interval, java.util.function.LongSupplier nanoTime) {
        var target = new Target("digest-db", TargetKind.MYSQL, "127.0.0.1:" + mariaDb.port(), "digests", mariaDb.rootUser(),
                Secret.NONE, Duration.ofSeconds(10), Duration.ofSeconds(5), Labels.EMPTY);
        var source = new LogSource(target.address(), "digests", target.address(), LogKind.DIGEST, LogShippers.DIGEST_PATH);
        return new DigestShipper(source, new DigestReader(target), LogShippers.fingerprinter(), sink, ShipperSettings.DEFAULTS,
                counters, interval, Clock.systemUTC(), nanoTime);
    }

    private static void run(MariaDb mariaDb, int times) {
        var sql = new StringBuilder();
        for (int i = 0; i < times; i++) {
            sql.append(STATEMENT).append(1 + i % 3).append(';');
        }
        mariaDb.sql(sql.toString());
    }

    /** The deltas of our statement shipped so far. */
    private List<StatementDigestDelta> ours() {
        return sink.batches.stream().flatMap(b -> b.digests().stream())
                .filter(d -> d.digestText().contains("digest_it") && d.digestText().contains("`v`")).toList();
    }

    @Test
    void shipsWhatEachDigestDidBetweenReadsAndTakesAResetForAReset(MariaDb mariaDb) throws Exception {
        mariaDb.sql("CREATE DATABASE IF NOT EXISTS digest_it; CREATE TABLE IF NOT EXISTS digest_it.t (id INT PRIMARY KEY, v INT);"
                + " REPLACE INTO digest_it.t VALUES (1, 10), (2, 20), (3, 30)");
        run(mariaDb, 2);
        try (var shipper = shipper(mariaDb)) {
            shipper.poll();
            assertThat(sink.batches).as("the first read is the baseline").isEmpty();

            run(mariaDb, 5);
            shipper.poll();
            assertThat(ours()).hasSize(1);
            StatementDigestDelta first = ours().getFirst();
            assertThat(first.count()).isEqualTo(5);
            assertThat(first.rowsSent()).isEqualTo(5);
            assertThat(first.rowsExamined()).isEqualTo(5);
            assertThat(first.totalSeconds()).isPositive();
            assertThat(first.to()).isAfter(first.from());
            assertThat(first.fingerprint()).isEqualTo(LogShippers.fingerprinter().fingerprint(STATEMENT + "7"))
                    .isEqualTo("select v from digest_it.t where id = ?");
            assertThat(first.queryId()).isEqualTo(QueryId.of(first.fingerprint()));
            assertThat(sink.batches.getFirst().source().kind()).isEqualTo(LogKind.DIGEST);

            shipper.poll();
            assertThat(ours()).as("nothing ran in between").hasSize(1);
            assertThat(sink.batches.stream().flatMap(b -> b.digests().stream()))
                    .as("its own reads of the table are not shipped")
                    .noneMatch(d -> d.digestText().contains("events_statements_summary_by_digest"));

            mariaDb.sql("TRUNCATE TABLE performance_schema.events_statements_summary_by_digest");
            run(mariaDb, 2);
            shipper.poll();
            assertThat(ours()).extracting(StatementDigestDelta::count).containsExactly(5L, 2L);

            // Kafka refuses: the delta waits and nothing is counted twice or lost.
            run(mariaDb, 3);
            sink.refuseNext(1);
            assertThatThrownBy(shipper::poll).isInstanceOf(ShipException.class);
            run(mariaDb, 1);
            shipper.poll();
            shipper.poll();
            assertThat(ours()).extracting(StatementDigestDelta::count).containsExactly(5L, 2L, 3L, 1L);
            assertThat(ours()).allSatisfy(d -> assertThat(d.count()).isPositive());
        }
        assertThat(counters.digests()).isGreaterThanOrEqualTo(4);
        assertThat(counters.sendFailures()).isEqualTo(1);
    }

    @Test
    void readsOncePerInterval(MariaDb mariaDb) throws Exception {
        mariaDb.sql("CREATE DATABASE IF NOT EXISTS digest_it; CREATE TABLE IF NOT EXISTS digest_it.t (id INT PRIMARY KEY, v INT)");
        var time = new ManualTime();
        try (var shipper = shipper(mariaDb, Duration.ofMinutes(1), time)) {
            shipper.poll();
            run(mariaDb, 2);
            time.advance(Duration.ofSeconds(59));
            shipper.poll();
            assertThat(ours()).as("within the interval").isEmpty();
            time.advance(Duration.ofSeconds(1));
            shipper.poll();
            assertThat(ours()).extracting(StatementDigestDelta::count).containsExactly(2L);
        }
    }

    @Test
    void anUnreachableServerIsAnErrorNamingTheTargetNotItsPassword() {
        var target = new Target("gone-db", TargetKind.MYSQL, "127.0.0.1:1", null, "vigil", io.vigil.model.Secret.of("s3cret-pw"),
                Duration.ofSeconds(10), Duration.ofSeconds(1), Labels.EMPTY);
        try (var reader = new DigestReader(target)) {
            assertThatThrownBy(reader::read).hasMessageContaining("gone-db").hasMessageContaining("127.0.0.1:1")
                    .hasMessageNotContaining("s3cret-pw");
        }
    }
}
