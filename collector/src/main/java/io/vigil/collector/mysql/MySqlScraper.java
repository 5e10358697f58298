package io.vigil.collector.mysql;

import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Scrapes a MySQL or MariaDB server over MySQL Connector/J: server-wide status, per-channel
 * replication when the server is a replica, and Galera (wsrep) state when the server is a cluster
 * node. One connection per target, kept between scrapes, so a scrape costs one round trip (see
 * {@link SnapshotReader}) rather than a login.
 */
public final class MySqlScraper implements Scraper {

    /**
     * Connector/J itself, not DriverManager: DriverManager finds drivers through a service-loader
     * scan that, when several threads make their first connection at once (every target scraped at
     * start-up), can answer "No suitable driver" to some of them, and a healthy target would be
     * reported down for a scrape.
     */
    private static final Driver DRIVER = connectorJ();

    private final Target target;
    private final MySqlStatusMetrics statusMetrics = new MySqlStatusMetrics();
    private final ReplicationErrorLog replicationErrors;
    private Connection connection;
    private SnapshotReader reader;

    private volatile List<Peer> peers = List.of();

    public MySqlScraper(Target target) {
        this.target = target;
        this.replicationErrors = new ReplicationErrorLog(target.id());
    }

    @Override
    public List<Reading> scrape() throws ScrapeException {
        ServerSnapshot snapshot;
        try {
            snapshot = reader().read(connection);
        } catch (SQLException e) {
            close();
            throw new ScrapeException(describe(e), e);
        }
        var rows = snapshot.replicas().stream().map(ReplicaRow::new).toList();
        replicationErrors.observe(rows);
        var readings = new ArrayList<>(statusMetrics.read(snapshot));
        readings.addAll(ReplicationMetrics.read(rows, snapshot.variables().get("gtid_slave_pos")));
        readings.addAll(GaleraStatusMetrics.read(snapshot.status()));
        peers = galeraPeers(snapshot.status().get("wsrep_incoming_addresses"));
        return readings;
    }

    /** The SQL addresses of the Galera cluster's nodes as they announce them; "AUTO" or an empty entry names none. */
    static List<Peer> galeraPeers(String incoming) {
        if (incoming == null || incoming.isBlank()) {
            return List.of();
        }
        var out = new ArrayList<Peer>();
        for (String a : incoming.split(",")) {
            String address = a.trim();
            if (address.matches("[^\\s:]+:\\d{1,5}") && !address.endsWith(":0")) {
                out.add(new Peer(TargetKind.MYSQL, address));
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<Peer> peers() {
        return peers;
    }

    private SnapshotReader reader() throws SQLException {
        if (connection == null) {
            connection = DRIVER.connect(jdbcUrl(), connectionProperties());
            // The handshake's version decides the statements; a failover to another version reconnects anyway.
            var version = ServerVersion.parse(connection.getMetaData().getDatabaseProductVersion());
            reader = new SnapshotReader(target, version);
        }
        return reader;
    }

    private static Driver connectorJ() {
        try {
            return new com.mysql.cj.jdbc.Driver();
        } catch (SQLException e) {
            throw new IllegalStateException("MySQL Connector/J cannot be loaded", e);
        }
    }

    private String jdbcUrl() {
        return "jdbc:mysql://" + target.address() + "/";
    }

    private Properties connectionProperties() {
        int timeoutMs = (int) Math.max(1, target.timeout().toMillis());
        var p = new Properties();
        p.setProperty("user", target.user());
        // The password goes to the driver only, in properties, never in the URL that errors may print.
        p.setProperty("password", target.password().reveal());
        p.setProperty("connectTimeout", Integer.toString(timeoutMs));
        // A hung server must not hang the scrape: the socket read gives up with the scrape.
        p.setProperty("socketTimeout", Integer.toString(timeoutMs));
        p.setProperty("connectionAttributes", "program_name:vigil");
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("sslMode", "PREFERRED");
        p.setProperty("tcpKeepAlive", "true");
        // Only our own fixed statements go over this connection; several in one round trip keep a scrape cheap.
        p.setProperty("allowMultiQueries", "true");
        return p;
    }

    private String describe(SQLException e) {
        // Connector/J messages name the user and host but never the password; keep the first line.
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        String password = target.password().reveal();
        if (!password.isEmpty()) {
            msg = msg.replace(password, "******");
        }
        return "target " + target.id() + " (" + target.address() + "): " + msg
                + (e.getSQLState() != null ? " [SQLState " + e.getSQLState() + "]" : "");
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // The connection is being discarded because it is broken; nothing to do.
            }
            connection = null;
            reader = null;
        }
        // The gap may hide a restart: the next interval must not span it.
        statusMetrics.reset();
    }
}
