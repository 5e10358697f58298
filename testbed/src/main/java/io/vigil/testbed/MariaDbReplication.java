package io.vigil.testbed;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A MariaDB primary and a GTID replica of it (testbed.md section 2b): binary log in ROW format,
 * gtid_strict_mode, log_slave_updates, and read_only on the replica. Replication runs as user
 * {@code repl} with {@code MASTER_USE_GTID=slave_pos} and a 1 s connect retry, so a restarted IO
 * thread reconnects quickly. Root has no password on either server.
 *
 * <p>Tests that stop threads or change the replica's settings must restore them: the pair is
 * shared by every test class in the JVM.
 */
public final class MariaDbReplication extends ManagedService {

    private static final String COMMON = """
            log_bin=mysql-bin
            binlog_format=ROW
            gtid_strict_mode=ON
            log_slave_updates=ON
            """;
    private static final int PRIMARY_SERVER_ID = 71;
    private static final int REPLICA_SERVER_ID = 72;
    private static final Duration REPLICATION_START_TIMEOUT = Duration.ofSeconds(30);

    private ServiceInstance primary;
    private ServiceInstance replica;

    public MariaDbReplication() {
        super("mariadb", 1);
    }

    @Override
    public String name() {
        return "mariadb-replication";
    }

    @Override
    protected void start(Launcher launcher) {
        primary = launcher.launch(Launch.of("mariadb", 1).instance("mariadb-primary")
                .arguments(ports -> List.of(String.valueOf(ports.getFirst()), String.valueOf(PRIMARY_SERVER_ID)))
                .config(COMMON));
        replica = launcher.launch(Launch.of("mariadb", 1).instance("mariadb-replica")
                .arguments(ports -> List.of(String.valueOf(ports.getFirst()), String.valueOf(REPLICA_SERVER_ID)))
                .config(COMMON + "read_only=ON\nrelay_log=relay-bin\n"));
        sql(primary, "CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'replpw'; "
                + "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'");
        sql(replica, "STOP SLAVE; SET GLOBAL gtid_slave_pos = ''; CHANGE MASTER TO MASTER_HOST='" + primary.host()
                + "', MASTER_PORT=" + primary.port() + ", MASTER_USER='repl', MASTER_PASSWORD='replpw', "
                + "MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1; START SLAVE");
        awaitReplicaCaughtUp();
    }

    /** Waits until the replica's threads run and it has applied everything the primary wrote so far. */
    public void awaitReplicaCaughtUp() {
        long deadline = System.nanoTime() + REPLICATION_START_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            String primaryPos = sqlPrimary("SELECT @@gtid_binlog_pos").strip();
            last = sqlReplica("SELECT CONCAT_WS(' ', @@gtid_slave_pos, (SELECT COUNT(*) FROM information_schema.processlist "
                    + "WHERE command IN ('Slave_IO', 'Slave_SQL')))").strip();
            if (last.equals(primaryPos + " 2")) {
                return;
            }
            sleep(50);
        }
        throw new TestBedException("replica at " + replica.address() + " did not catch up with the primary within "
                + REPLICATION_START_TIMEOUT.toSeconds() + " s (replica gtid_slave_pos and thread count: " + last
                + "); see " + replica.dir().resolve("error.log"));
    }

    public int primaryPort() {
        return started(primary).port();
    }

    public int replicaPort() {
        return started(replica).port();
    }

    public ServiceInstance primary() {
        return started(primary);
    }

    public ServiceInstance replica() {
        return started(replica);
    }

    /** For MySQL Connector/J, no default database. */
    public String jdbcUrl(ServiceInstance instance) {
        return "jdbc:mysql://" + instance.address() + "/";
    }

    public String rootUser() {
        return "root";
    }

    /** Runs statements on the primary as root; returns the batch output (tab-separated, no column names). */
    public String sqlPrimary(String statements) {
        return sql(started(primary), statements);
    }

    /** Runs statements on the replica as root; returns the batch output (tab-separated, no column names). */
    public String sqlReplica(String statements) {
        return sql(started(replica), statements);
    }

    private ServiceInstance started(ServiceInstance instance) {
        if (instance == null) {
            throw new IllegalStateException(name() + " is not started; obtain it through TestBed.get("
                    + getClass().getSimpleName() + ".class) or @WithServices");
        }
        return instance;
    }

    private static String sql(ServiceInstance on, String statements) {
        var result = Processes.run(List.of("mariadb", "--no-defaults", "--protocol=TCP", "-h" + on.host(),
                        "-P" + on.port(), "-uroot", "--connect-timeout=10", "--batch", "--skip-column-names",
                        "-e", statements),
                Map.of(), "", null, Duration.ofMinutes(2));
        if (!result.ok()) {
            throw new TestBedException("mariadb client on " + on.address() + " failed (exit " + result.exitCode()
                    + ") for: " + statements + "\n" + result.stderr().strip());
        }
        return result.stdout();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestBedException("interrupted while waiting for replication");
        }
    }
}
