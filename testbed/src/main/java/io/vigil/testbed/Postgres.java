package io.vigil.testbed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A private PostgreSQL cluster (superuser {@code postgres}, trust authentication, no password), started
 * by {@code deploy/testbed/postgres.sh}. pg_stat_statements is preloaded when installed.
 *
 * <p>Give each test class its own database with {@link #createDatabase(String)}: the cluster is shared
 * by every test class in the JVM.
 */
public final class Postgres extends ManagedService {

    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    public Postgres() {
        super("postgres", 1);
    }

    public String user() {
        return "postgres";
    }

    public String password() {
        return "";
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /**
     * Creates an empty database and returns its JDBC URL. Fails if it exists: pick a name per test class.
     * The name is used verbatim (case preserved): letters, digits and underscores only.
     */
    public String createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
        }
        sql("postgres", "CREATE DATABASE \"" + name + "\"");
        return jdbcUrl(name);
    }

    /** Runs SQL with psql as the superuser; returns the unaligned, tuples-only output. */
    public String sql(String database, String statement) {
        var psql = binDir().resolve("psql").toString();
        var result = Processes.run(List.of(psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                        "-h", host(), "-p", String.valueOf(port()), "-U", user(), "-d", database, "-c", statement),
                Map.of("PGCONNECT_TIMEOUT", "10"), "", null, Duration.ofMinutes(2));
        if (!result.ok()) {
            throw new TestBedException("psql on " + instance().address() + "/" + database + " failed (exit "
                    + result.exitCode() + ") for: " + statement + "\n" + result.stderr().strip());
        }
        return result.stdout();
    }

    /** The server's bin directory, as found by the script; psql and pg_dump there match the server. */
    public Path binDir() {
        var bindir = instance().attributes().get("bindir");
        if (bindir == null) {
            throw new TestBedException("postgres.sh did not report its bindir in the READY line");
        }
        return Path.of(bindir);
    }
}
