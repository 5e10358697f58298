package io.vigil.ingest;

import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

/**
 * Creates the store's tables idempotently and decides which {@link StoreLayout} applies. Every
 * Vigil process runs this at startup (the read path needs the tables too); an advisory lock
 * makes processes that start together take turns instead of racing on the catalog.
 */
public final class StoreSchema {

    private static final Logger LOG = Logger.getLogger(StoreSchema.class);
    static final String CONFIG_KEY = "vigil.ingest.layout";

    /** The parts every layout shares: the series dictionary and the consumed Kafka positions. */
    static final List<String> COMMON_DDL = List.of(
            "CREATE TABLE IF NOT EXISTS series (id bigserial PRIMARY KEY, metric text NOT NULL, labels jsonb NOT NULL,"
                    + " UNIQUE (metric, labels))",
            // The target whose batch created the series: the cardinality guard counts series per target.
            "ALTER TABLE series ADD COLUMN IF NOT EXISTS target text",
            "CREATE TABLE IF NOT EXISTS ingest_offsets (consumer_group text NOT NULL, topic text NOT NULL,"
                    + " partition int NOT NULL, next_offset bigint NOT NULL, updated_at timestamptz NOT NULL DEFAULT now(),"
                    + " PRIMARY KEY (consumer_group, topic, partition))");

    private final DataSource dataSource;
    private final LayoutChoice choice;
    private final StoreSettings settings;
    private final Clock clock;

    public StoreSchema(DataSource dataSource, LayoutChoice choice, StoreSettings settings, Clock clock) {
        this.dataSource = dataSource;
        this.choice = choice;
        this.settings = settings;
        this.clock = clock;
    }

    public StoreSchema(DataSource dataSource, LayoutChoice choice, StoreSettings settings) {
        this(dataSource, choice, settings, Clock.systemUTC());
    }

    /**
     * Creates whatever is missing and premakes partitions; returns the layout in use.
     *
     * @throws StoreException when the configured layout cannot be used on this database, or DDL fails
     */
    public StoreLayout ensure() {
        try (Connection c = dataSource.getConnection()) {
            StoreLayout layout = Tx.run(c, tx -> {
                AdvisoryLocks.lockSchema(tx);
                StoreLayout chosen = choose(ServerFacts.read(tx));
                boolean rollupsExisted = tableExists(tx, Rollups.PENDING_TABLE);
                for (String sql : COMMON_DDL) {
                    execute(tx, sql, "common schema");
                }
                for (String sql : chosen.ddl()) {
                    execute(tx, sql, chosen.name() + " layout");
                }
                for (String sql : Rollups.ddl()) {
                    execute(tx, sql, "rollups");
                }
                if (!rollupsExisted) {
                    // A store from before rollups: its points are all pending, or reads from rollups would miss them.
                    for (Rollups r : Rollups.values()) {
                        execute(tx, "INSERT INTO " + Rollups.PENDING_TABLE + " (width_seconds, from_time, to_time)"
                                + " SELECT " + r.width().toSeconds() + ", min(time), max(time) FROM samples HAVING count(*) > 0",
                                "rollups");
                    }
                }
                return chosen;
            });
            layout.premake(c, clock.instant());
            LOG.infof("time-series store ready: %s layout, retention %s", layout.name(), settings.retention());
            return layout;
        } catch (SQLException e) {
            throw new StoreException("creating the time-series store schema failed", e);
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (var st = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            st.setString(1, table);
            try (var rs = st.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void execute(Connection c, String sql, String what) throws SQLException {
        try (var st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            String first = sql.strip().lines().findFirst().orElse(sql);
            throw new SQLException(what + ": statement '" + first + "' failed: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    StoreLayout choose(ServerFacts facts) {
        return switch (choice) {
            case PARTITIONED -> {
                if (facts.samples() == ServerFacts.Samples.HYPERTABLE || facts.samples() == ServerFacts.Samples.PLAIN_TABLE) {
                    throw new StoreException(CONFIG_KEY + "=partitioned, but table samples already exists as "
                            + facts.samples().description + "; use " + CONFIG_KEY + "=auto or a fresh database");
                }
                yield new PartitionedLayout(settings);
            }
            case TIMESCALEDB -> {
                if (!facts.timescaleAvailable()) {
                    throw new StoreException(CONFIG_KEY + "=timescaledb, but this PostgreSQL server does not offer the"
                            + " timescaledb extension (it is not in pg_available_extensions); install TimescaleDB or set "
                            + CONFIG_KEY + "=auto or partitioned");
                }
                if (facts.samples() == ServerFacts.Samples.PARTITIONED) {
                    throw new StoreException(CONFIG_KEY + "=timescaledb, but table samples already exists as "
                            + facts.samples().description + "; migrating it is not supported, use " + CONFIG_KEY
                            + "=auto (keeps the partitioned layout) or a fresh database");
                }
                yield new TimescaleLayout(settings);
            }
            case AUTO -> switch (facts.samples()) {
                // An existing store keeps its layout: installing TimescaleDB later must not break startup.
                case PARTITIONED -> new PartitionedLayout(settings);
                case HYPERTABLE -> new TimescaleLayout(settings);
                case PLAIN_TABLE -> throw new StoreException("table samples exists but is neither partitioned nor a"
                        + " TimescaleDB hypertable; it was not created by Vigil");
                case ABSENT -> facts.timescaleAvailable() ? new TimescaleLayout(settings) : new PartitionedLayout(settings);
            };
        };
    }
}
