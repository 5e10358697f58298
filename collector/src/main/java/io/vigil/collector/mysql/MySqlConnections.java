package io.vigil.collector.mysql;

import io.vigil.model.Target;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/** How the collector logs in to a MySQL or MariaDB target: one place for the driver, its settings and its errors. */
public final class MySqlConnections {

    /**
     * Connector/J itself, not DriverManager: DriverManager finds drivers through a service-loader
     * scan that, when several threads make their first connection at once (every target scraped at
     * start-up), can answer "No suitable driver" to some of them, and a healthy target would be
     * reported down for a scrape.
     */
    private static final Driver DRIVER = connectorJ();

    private MySqlConnections() {
    }

    /**
     * @param timeoutMs    for connecting and for each read: a hung server must not hang the caller
     * @param program      the {@code program_name} the server shows for the connection
     * @param multiQueries whether several statements may go in one round trip (only our own fixed statements)
     */
    public static Connection connect(Target target, int timeoutMs, String program, boolean multiQueries) throws SQLException {
        var p = new Properties();
        p.setProperty("user", target.user());
        // The password goes to the driver only, in properties, never in the URL that errors may print.
        p.setProperty("password", target.password().reveal());
        p.setProperty("connectTimeout", Integer.toString(timeoutMs));
        p.setProperty("socketTimeout", Integer.toString(timeoutMs));
        p.setProperty("connectionAttributes", "program_name:" + program);
        p.setProperty("allowPublicKeyRetrieval", "true");
        p.setProperty("sslMode", "PREFERRED");
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("allowMultiQueries", Boolean.toString(multiQueries));
        return DRIVER.connect("jdbc:mysql://" + target.address() + "/", p);
    }

    /** The first line of the driver's message, naming the target, with the password masked should it appear. */
    public static String describe(Target target, SQLException e) {
        // Connector/J messages name the user and host but never the password; keep the first line.
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
        String password = target.password().reveal();
        if (!password.isEmpty()) {
            msg = msg.replace(password, "******");
        }
        return "target " + target.id() + " (" + target.address() + "): " + msg
                + (e.getSQLState() != null ? " [SQLState " + e.getSQLState() + "]" : "");
    }

    private static Driver connectorJ() {
        try {
            return new com.mysql.cj.jdbc.Driver();
        } catch (SQLException e) {
            throw new IllegalStateException("MySQL Connector/J cannot be loaded", e);
        }
    }
}
