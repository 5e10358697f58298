package io.vigil.collector.mysql;

import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Target;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Scrapes a MySQL or MariaDB server over MySQL Connector/J. One connection per target, kept
 * between scrapes, so a scrape costs one round trip rather than a login.
 */
public final class MySqlScraper implements Scraper {

    private final Target target;
    private Connection connection;

    public MySqlScraper(Target target) {
        this.target = target;
    }

    @Override
    public List<Reading> scrape() throws ScrapeException {
        try {
            Map<String, String> status = globalStatus(connection());
            return MySqlStatusMetrics.fromGlobalStatus(status);
        } catch (SQLException e) {
            close();
            throw new ScrapeException(describe(e), e);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(jdbcUrl(), connectionProperties());
        }
        return connection;
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
        return p;
    }

    private static Map<String, String> globalStatus(Connection c) throws SQLException {
        var status = new HashMap<String, String>(512);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SHOW GLOBAL STATUS")) {
            while (rs.next()) {
                status.put(rs.getString(1), rs.getString(2));
            }
        }
        return status;
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
        }
    }
}
