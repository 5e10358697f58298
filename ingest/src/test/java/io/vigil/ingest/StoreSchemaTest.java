package io.vigil.ingest;

import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@WithServices(Postgres.class)
class StoreSchemaTest {

    private final Postgres postgres;

    StoreSchemaTest(Postgres postgres) {
        this.postgres = postgres;
    }

    @Test
    void autoPicksPartitionedLayoutOnPlainPostgresAndCreatesEverything() {
        var db = TestDb.fresh(postgres, "schema_auto");
        StoreLayout layout = new StoreSchema(db.ds(), LayoutChoice.AUTO, new StoreSettings(Duration.ofDays(30), 2)).ensure();

        assertThat(layout).isInstanceOf(PartitionedLayout.class);
        assertThat(db.queryStrings("SELECT relname || ':' || relkind::text FROM pg_class WHERE relname IN ('series', 'samples', 'ingest_offsets') ORDER BY 1"))
                .containsExactly("ingest_offsets:r", "samples:p", "series:r");
        assertThat(db.queryStrings("SELECT indexname FROM pg_indexes WHERE tablename = 'samples' ORDER BY 1"))
                .containsExactly("samples_series_time", "samples_time_brin");
        assertThat(db.queryStrings("SELECT am.amname FROM pg_class c JOIN pg_am am ON am.oid = c.relam WHERE c.relname = 'samples_time_brin'"))
                .containsExactly("brin");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        assertThat(db.samplePartitions()).contains(
                PartitionedLayout.partitionName(today), PartitionedLayout.partitionName(today.plusDays(1)),
                PartitionedLayout.partitionName(today.plusDays(2)));
        assertThat(db.queryStrings("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'samples'::regclass AND c.relispartition AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'"))
                .as("no default partition").isEmpty();
    }

    @Test
    void processesStartingTogetherDoNotRaceAndSchemaIsIdempotent() throws Exception {
        var db = TestDb.fresh(postgres, "schema_race");
        int processes = 6;
        var ready = new CountDownLatch(processes);
        var tasks = new ArrayList<Callable<String>>();
        for (int i = 0; i < processes; i++) {
            tasks.add(() -> {
                ready.countDown();
                ready.await();
                return new StoreSchema(db.ds(), LayoutChoice.AUTO, StoreSettings.defaults()).ensure().name();
            });
        }
        try (var pool = Executors.newFixedThreadPool(processes)) {
            for (Future<String> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isEqualTo("partitioned");
            }
        }
        assertThat(new StoreSchema(db.ds(), LayoutChoice.PARTITIONED, StoreSettings.defaults()).ensure())
                .isInstanceOf(PartitionedLayout.class);
        assertThat(db.samplePartitions()).hasSize(3);
    }

    @Test
    void forcingTimescaleWithoutTheExtensionFailsNamingIt() {
        var db = TestDb.fresh(postgres, "schema_force_ts");
        var schema = new StoreSchema(db.ds(), LayoutChoice.TIMESCALEDB, StoreSettings.defaults());

        assertThatThrownBy(schema::ensure)
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("vigil.ingest.layout=timescaledb")
                .hasMessageContaining("does not offer the timescaledb extension")
                .hasMessageContaining("pg_available_extensions");
        assertThat(db.count("SELECT count(*) FROM pg_class WHERE relname IN ('series', 'samples', 'ingest_offsets')"))
                .as("nothing half-created").isZero();
    }

    @Test
    void refusesSamplesTableItDidNotCreate() {
        var db = TestDb.fresh(postgres, "schema_foreign");
        db.execute("CREATE TABLE samples (time timestamptz, series_id bigint, value double precision)");

        assertThatThrownBy(() -> new StoreSchema(db.ds(), LayoutChoice.AUTO, StoreSettings.defaults()).ensure())
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("neither partitioned nor a TimescaleDB hypertable");
    }

    /**
     * TimescaleDB is not installable here, so its DDL runs against stand-ins with the signatures of
     * TimescaleDB 2.x (sql/ddl_api.sql, sql/policy_api.sql) that record their calls: this checks the
     * statements parse, call the functions by their real argument names and types, in order, with
     * the configured intervals. The extension itself and the compression ALTER (which plain
     * PostgreSQL cannot parse) are the parts left unverified.
     */
    @Test
    void timescaleDdlCallsTheExtensionApiInOrder() throws SQLException {
        var db = TestDb.fresh(postgres, "schema_ts_ddl");
        db.execute("""
                CREATE TABLE ts_calls (n serial, call text);
                CREATE SCHEMA timescaledb_information;
                CREATE VIEW timescaledb_information.hypertables AS
                  SELECT current_schema()::name AS hypertable_schema, 'samples'::name AS hypertable_name, true AS compression_enabled;
                CREATE FUNCTION create_hypertable(relation regclass, time_column_name name, partitioning_column name = NULL,
                    number_partitions integer = NULL, associated_schema_name name = NULL, associated_table_prefix name = NULL,
                    chunk_time_interval anyelement = NULL::bigint, create_default_indexes boolean = true,
                    if_not_exists boolean = false) RETURNS void LANGUAGE sql
                  AS $$ INSERT INTO ts_calls (call) VALUES (format('create_hypertable %s %s %s %s', relation, time_column_name,
                        chunk_time_interval, if_not_exists)) $$;
                CREATE FUNCTION add_compression_policy(hypertable regclass, compress_after anyelement, if_not_exists bool = false)
                  RETURNS integer LANGUAGE sql
                  AS $$ INSERT INTO ts_calls (call) VALUES (format('add_compression_policy %s %s', hypertable, compress_after)) RETURNING 1 $$;
                CREATE FUNCTION remove_compression_policy(hypertable regclass, if_exists bool = false) RETURNS bool LANGUAGE sql
                  AS $$ INSERT INTO ts_calls (call) VALUES (format('remove_compression_policy %s %s', hypertable, if_exists)) RETURNING true $$;
                CREATE FUNCTION add_retention_policy(relation regclass, drop_after anyelement, if_not_exists bool = false)
                  RETURNS integer LANGUAGE sql
                  AS $$ INSERT INTO ts_calls (call) VALUES (format('add_retention_policy %s %s', relation, drop_after)) RETURNING 1 $$;
                CREATE FUNCTION remove_retention_policy(relation regclass, if_exists bool = false) RETURNS void LANGUAGE sql
                  AS $$ INSERT INTO ts_calls (call) VALUES (format('remove_retention_policy %s %s', relation, if_exists)) $$;
                """);
        List<String> ddl = new TimescaleLayout(new StoreSettings(Duration.ofDays(7), 2)).ddl();
        assertThat(ddl.getFirst()).isEqualTo("CREATE EXTENSION IF NOT EXISTS timescaledb");

        try (var c = db.ds().getConnection(); var st = c.createStatement()) {
            for (String sql : ddl.subList(1, ddl.size())) {
                st.execute(sql);
            }
        }

        assertThat(db.queryStrings("SELECT call FROM ts_calls ORDER BY n")).containsExactly(
                "create_hypertable samples time 1 day t",
                "remove_compression_policy samples t",
                "add_compression_policy samples 06:00:00",
                "remove_retention_policy samples t",
                "add_retention_policy samples 168:00:00");
        assertThat(db.queryStrings("SELECT indexname FROM pg_indexes WHERE tablename = 'samples'")).contains("samples_series_time");
    }
}
