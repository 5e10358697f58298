package io.vigil.ingest;

import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/** The ingest role's periodic upkeep: partitions for the coming days, and retention. */
public final class StoreMaintenance implements Runnable {

    private static final Logger LOG = Logger.getLogger(StoreMaintenance.class);

    private final DataSource dataSource;
    private final StoreLayout layout;
    private final Clock clock;

    public StoreMaintenance(DataSource dataSource, StoreLayout layout, Clock clock) {
        this.dataSource = dataSource;
        this.layout = layout;
        this.clock = clock;
    }

    /** Premakes and drops; returns the dropped partitions. */
    public List<String> runOnce() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            layout.premake(c, clock.instant());
            List<String> dropped = layout.dropExpired(c, clock.instant());
            if (!dropped.isEmpty()) {
                LOG.infof("retention dropped %d expired partitions: %s", dropped.size(), dropped);
            }
            return dropped;
        }
    }

    /** For a scheduler: never throws, so one failed run does not cancel the next ones. */
    @Override
    public void run() {
        try {
            runOnce();
        } catch (SQLException | RuntimeException e) {
            LOG.warnf("store maintenance (%s layout) failed, will try again at the next interval: %s", layout.name(), e.getMessage());
        }
    }
}
