package io.vigil.testbed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A private MariaDB server (root without password; TCP logins from 127.0.0.1 are root@localhost), started
 * by {@code deploy/testbed/mariadb.sh} with performance_schema on and the slow query log at
 * {@link #slowLogPath()} ({@code long_query_time=1}).
 */
public class MariaDb extends ManagedService {

    public MariaDb() {
        super("mariadb", 1);
    }

    @Override
    protected List<String> startArguments(List<Integer> ports) {
        return List.of(String.valueOf(ports.getFirst()), String.valueOf(serverId()));
    }

    /** {@code server_id}; a replica pair overrides it per instance. */
    protected int serverId() {
        return 1;
    }

    /** For MySQL Connector/J, no default database. */
    public String jdbcUrl() {
        return "jdbc:mysql://" + host() + ":" + port() + "/";
    }

    public String rootUser() {
        return "root";
    }

    public Path slowLogPath() {
        return dir().resolve("slow.log");
    }

    public Path errorLogPath() {
        return dir().resolve("error.log");
    }

    /**
     * Runs statements with the {@code mariadb} client as root over TCP; returns its batch output
     * (tab-separated, no column names).
     */
    public String sql(String statement) {
        var result = Processes.run(List.of("mariadb", "--no-defaults", "--protocol=TCP", "-h" + host(),
                        "-P" + port(), "-u" + rootUser(), "--connect-timeout=10", "--batch", "--skip-column-names",
                        "-e", statement),
                Map.of(), "", null, Duration.ofMinutes(2));
        if (!result.ok()) {
            throw new TestBedException("mariadb client on " + instance().address() + " failed (exit "
                    + result.exitCode() + ") for: " + statement + "\n" + result.stderr().strip());
        }
        return result.stdout();
    }
}
