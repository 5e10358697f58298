package io.vigil.collector.mysql;

import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scrapes a MySQL or MariaDB server over MySQL Connector/J: server-wide status, per-channel
 * replication when the server is a replica, Galera (wsrep) state when the server is a cluster
 * node, and the group's view when it is a Group Replication member. One connection per target, kept between scrapes, so a scrape costs one round trip (see
 * {@link SnapshotReader}) rather than a login.
 */
public final class MySqlScraper implements Scraper {

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
        readings.addAll(GroupReplicationStatus.read(snapshot));
        var found = new ArrayList<>(galeraPeers(snapshot.status().get("wsrep_incoming_addresses")));
        found.addAll(groupPeers(snapshot.groupMembers()));
        peers = List.copyOf(found);
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

    /** The SQL addresses of the other members of this server's Group Replication group, as the group announces them. */
    static List<Peer> groupPeers(List<Map<String, String>> members) {
        var out = new ArrayList<Peer>();
        for (Map<String, String> m : members) {
            String host = m.get("MEMBER_HOST");
            String port = m.get("MEMBER_PORT");
            if (host != null && !host.isBlank() && port != null && port.strip().matches("[1-9]\\d{0,4}")) {
                out.add(new Peer(TargetKind.MYSQL, host.strip() + ":" + port.strip()));
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
            // Only our own fixed statements go over this connection; several in one round trip keep a scrape cheap.
            connection = MySqlConnections.connect(target, (int) Math.max(1, target.timeout().toMillis()), "vigil", true);
            // The handshake's version decides the statements; a failover to another version reconnects anyway.
            var version = ServerVersion.parse(connection.getMetaData().getDatabaseProductVersion());
            reader = new SnapshotReader(target, version);
        }
        return reader;
    }

    private String describe(SQLException e) {
        return MySqlConnections.describe(target, e);
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
