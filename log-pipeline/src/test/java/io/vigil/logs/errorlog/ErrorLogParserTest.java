package io.vigil.logs.errorlog;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** The three header formats, continuation lines and offsets. */
class ErrorLogParserTest {

    @Test
    void mysql8LinesCarryTheirCodeAndSubsystem() {
        var events = ErrorLogParser.parse("""
                2026-12-04T03:00:00.123456Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.36) starting as process 1
                2026-12-04T03:00:01.000001Z 12 [Warning] [MY-010055] [Server] IP address '10.0.0.9' could not be resolved: Name or service not known
                """, 0);

        assertThat(events).hasSize(2);
        var w = events.get(1);
        assertThat(w.time()).isEqualTo(LocalDateTime.parse("2026-12-04T03:00:01.000001"));
        assertThat(w.thread()).isEqualTo(12);
        assertThat(w.severity()).isEqualTo("Warning");
        assertThat(w.code()).isEqualTo("MY-010055");
        assertThat(w.subsystem()).isEqualTo("Server");
        assertThat(w.message()).startsWith("IP address '10.0.0.9'");
        assertThat(w.offset()).isEqualTo(events.get(0).offset() + "2026-12-04T03:00:00.123456Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld (mysqld 8.0.36) starting as process 1\n".length());
    }

    @Test
    void mysql57HasNoCodeAndMariaDbNamesTheSubsystemInTheMessage() {
        var events = ErrorLogParser.parse("""
                2026-12-04T03:00:00.123456Z 7 [Note] Aborted connection 7 to db: 'pay' user: 'app' host: '10.0.0.3' (Got timeout reading communication packets)
                2026-12-04 21:17:26 0 [Note] InnoDB: Buffer pool(s) load completed at 261204 21:17:26
                2026-12-04  9:05:01 [ERROR] mariadbd: Table './pay/orders' is marked as crashed and should be repaired
                """, 100);

        assertThat(events).extracting(ErrorLogEvent::severity).containsExactly("Note", "Note", "ERROR");
        assertThat(events.get(0).code()).isNull();
        assertThat(events.get(0).thread()).isEqualTo(7);
        assertThat(events.get(1).subsystem()).isEqualTo("InnoDB");
        assertThat(events.get(1).thread()).isZero();
        assertThat(events.get(2).thread()).isEqualTo(-1);
        assertThat(events.get(2).subsystem()).isEqualTo("mariadbd");
        assertThat(events.get(0).offset()).isEqualTo(100);
    }

    @Test
    void aMysql8DeadlockReportIsOneEventFromDetectionToTheVictim() {
        var events = ErrorLogParser.parse("""
                2026-12-04T03:00:00.000001Z 14 [Note] [MY-012468] [InnoDB] Transactions deadlock detected, dumping detailed information. (lock0lock.cc:6482)
                2026-12-04T03:00:00.000002Z 14 [Note] [MY-012469] [InnoDB] *** (1) TRANSACTION:
                TRANSACTION 2343, ACTIVE 2 sec starting index read
                UPDATE t SET v = 2 WHERE id = 1
                2026-12-04T03:00:00.000003Z 14 [Note] [MY-012469] [InnoDB] *** (2) TRANSACTION:
                TRANSACTION 2344, ACTIVE 2 sec starting index read
                UPDATE t SET v = 1 WHERE id = 2
                2026-12-04T03:00:00.000004Z 14 [Note] [MY-012469] [InnoDB] *** WE ROLL BACK TRANSACTION (2)
                2026-12-04T03:00:05.000000Z 15 [Warning] [MY-010055] [Server] IP address '10.0.0.9' could not be resolved
                """, 0);

        assertThat(events).extracting(ErrorLogEvent::kind).containsExactly(ErrorLogEvent.Kind.DEADLOCK, ErrorLogEvent.Kind.MESSAGE);
        assertThat(events.getFirst().message()).contains("*** (1) TRANSACTION:", "UPDATE t SET v = 2 WHERE id = 1",
                "*** (2) TRANSACTION:", "*** WE ROLL BACK TRANSACTION (2)");
        assertThat(events.getFirst().code()).isEqualTo("MY-012468");
        assertThat(events.getFirst().subsystem()).isEqualTo("InnoDB");
    }

    @Test
    void continuationLinesStayWithTheirEventAndATruncatedStartIsSkipped() {
        var events = ErrorLogParser.parse("""
                 of a stack trace cut by rotation
                2026-12-04 21:17:26 5 [ERROR] InnoDB: Operating system error number 28 in a file operation.
                InnoDB: Error number 28 means 'No space left on device'
                InnoDB: Some operating system error numbers are described at https://mariadb.com/kb/en/library/operating-system-error-codes/
                2026-12-04 21:17:27 5 [Note] InnoDB: retrying
                """, 0);

        assertThat(events).hasSize(2);
        assertThat(events.get(0).message()).contains("No space left on device").contains("operating-system-error-codes");
        assertThat(events.get(1).message()).isEqualTo("InnoDB: retrying");
    }
}
