package io.vigil.logs.errorlog;

import io.vigil.testbed.MariaDb;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real deadlock on the test bed's MariaDB, reported into its error log with
 * {@code innodb_print_all_deadlocks}: the parser makes it one event with both transactions.
 */
@WithServices(MariaDb.class)
class RealMariaDbDeadlockTest {

    private final MariaDb mariaDb;

    RealMariaDbDeadlockTest(MariaDb mariaDb) {
        this.mariaDb = mariaDb;
    }

    @Test
    void aDeadlockReportIsOneEventWithBothTransactionsAndTheVictim() throws Exception {
        mariaDb.sql("SET GLOBAL innodb_print_all_deadlocks = ON; CREATE DATABASE IF NOT EXISTS dl;"
                + " CREATE OR REPLACE TABLE dl.t (id INT PRIMARY KEY, v INT) ENGINE=InnoDB; INSERT INTO dl.t VALUES (1, 0), (2, 0)");
        long before = Files.size(mariaDb.errorLogPath());
        // Two sessions take the two rows in opposite order: one of them is chosen as the victim.
        Process a = session("BEGIN; UPDATE dl.t SET v = 1 WHERE id = 1; DO SLEEP(1.5); UPDATE dl.t SET v = 1 WHERE id = 2; COMMIT;");
        Process b = session("BEGIN; UPDATE dl.t SET v = 2 WHERE id = 2; DO SLEEP(1.5); UPDATE dl.t SET v = 2 WHERE id = 1; COMMIT;");
        assertThat(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(List.of(a.exitValue(), b.exitValue())).as("one session is rolled back").contains(1).contains(0);

        byte[] all = Files.readAllBytes(mariaDb.errorLogPath());
        String appended = new String(all, (int) before, all.length - (int) before, StandardCharsets.UTF_8);
        var deadlocks = ErrorLogParser.parse(appended, before).stream().filter(e -> e.kind() == ErrorLogEvent.Kind.DEADLOCK).toList();

        assertThat(deadlocks).singleElement().satisfies(e -> {
            assertThat(e.message()).contains("*** (1) TRANSACTION").contains("*** (2) TRANSACTION")
                    .contains("*** WE ROLL BACK TRANSACTION").contains("dl").contains("`t`");
            assertThat(e.subsystem()).isEqualTo("InnoDB");
            assertThat(e.offset()).isGreaterThanOrEqualTo(before);
        });
    }

    private Process session(String statements) throws Exception {
        return new ProcessBuilder("mariadb", "--no-defaults", "--protocol=TCP", "-h" + mariaDb.instance().host(),
                "-P" + mariaDb.instance().port(), "-u" + mariaDb.rootUser(), "-e", statements)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
