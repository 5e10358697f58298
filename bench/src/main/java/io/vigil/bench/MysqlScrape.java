package io.vigil.bench;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;

import java.util.ArrayList;
import java.util.List;

/**
 * One realistic scrape of one MySQL replica: the target labels a collector attaches (identity plus
 * the user's {@code service}/{@code idc}/{@code team}) and 63 samples, 7 of them with a label of
 * their own. Per-second rates are counter deltas over a 15 s scrape interval, so, as in production,
 * most values are full-precision doubles rather than short decimals (this matters for JSON's size).
 */
public final class MysqlScrape {

    /** Scrape interval the per-second rates are derived with. */
    private static final double INTERVAL_SECONDS = 15.0;

    private MysqlScrape() {
    }

    public static SampleBatch batch() {
        var labels = Labels.of(
                "cluster", "pay",
                "instance", "10.12.3.41:3306",
                "kind", "mysql",
                "target", "pay-db-2",
                "service", "payment",
                "idc", "sh-a",
                "team", "dba-core");
        var s = new ArrayList<Sample>();
        // availability and connections
        s.add(Sample.of("up", 1));
        s.add(Sample.of("mysql_uptime_seconds", 3_456_789));
        s.add(Sample.of("mysql_read_only", 1));
        s.add(Sample.of("mysql_max_connections", 2000));
        s.add(Sample.of("mysql_threads_connected", 187));
        s.add(Sample.of("mysql_threads_running", 9));
        s.add(Sample.of("mysql_threads_cached", 12));
        s.add(Sample.of("mysql_threads_created_per_second", rate(3)));
        s.add(Sample.of("mysql_connections_per_second", rate(223)));
        s.add(Sample.of("mysql_aborted_connects_per_second", rate(0)));
        s.add(Sample.of("mysql_aborted_clients_per_second", rate(1)));
        // throughput
        s.add(Sample.of("mysql_qps", rate(72_190)));
        s.add(Sample.of("mysql_tps", rate(9_187)));
        s.add(Sample.of("mysql_questions_per_second", rate(73_952)));
        s.add(Sample.of("mysql_slow_queries_per_second", rate(5)));
        s.add(Sample.of("mysql_com_select_per_second", rate(58_541)));
        s.add(Sample.of("mysql_com_insert_per_second", rate(4_518)));
        s.add(Sample.of("mysql_com_update_per_second", rate(4_154)));
        s.add(Sample.of("mysql_com_delete_per_second", rate(515)));
        s.add(Sample.of("mysql_com_commit_per_second", rate(8_970)));
        s.add(Sample.of("mysql_com_rollback_per_second", rate(21)));
        s.add(Sample.of("mysql_bytes_received_per_second", rate(34_656_631)));
        s.add(Sample.of("mysql_bytes_sent_per_second", rate(284_161_754)));
        // temporary tables, scans, locks, caches
        s.add(Sample.of("mysql_created_tmp_tables_per_second", rate(618)));
        s.add(Sample.of("mysql_created_tmp_disk_tables_per_second", rate(12)));
        s.add(Sample.of("mysql_select_full_join_per_second", rate(2)));
        s.add(Sample.of("mysql_select_scan_per_second", rate(189)));
        s.add(Sample.of("mysql_sort_merge_passes_per_second", rate(0)));
        s.add(Sample.of("mysql_handler_read_rnd_next_per_second", rate(132_183)));
        s.add(Sample.of("mysql_table_locks_waited_per_second", rate(0)));
        s.add(Sample.of("mysql_open_tables", 3998));
        s.add(Sample.of("mysql_open_files", 187));
        s.add(Sample.of("mysql_table_open_cache_hit_ratio", 1 - 37.0 / 41_233));
        s.add(Sample.of("mysql_key_buffer_hit_ratio", 1 - 3.0 / 1_907));
        // InnoDB buffer pool
        s.add(Sample.of("mysql_innodb_buffer_pool_hit_ratio", 1 - 195.0 / 721_708));
        s.add(Sample.of("mysql_innodb_buffer_pool_read_requests_per_second", rate(721_708)));
        s.add(Sample.of("mysql_innodb_buffer_pool_reads_per_second", rate(195)));
        s.add(Sample.of("mysql_innodb_buffer_pool_pages_total", 1_048_576));
        s.add(Sample.of("mysql_innodb_buffer_pool_pages_free", 8_192));
        s.add(Sample.of("mysql_innodb_buffer_pool_pages_dirty", 23_417));
        s.add(Sample.of("mysql_innodb_buffer_pool_bytes_data", 16_401_694_720.0));
        s.add(Sample.of("mysql_innodb_buffer_pool_wait_free", 0));
        // InnoDB rows (one series per operation), locks, I/O, redo
        for (var op : new Object[][] {{"read", 6_185_093}, {"inserted", 4_518}, {"updated", 4_201}, {"deleted", 510}}) {
            s.add(new Sample("mysql_innodb_rows_per_second", Labels.of("operation", (String) op[0]), rate((Integer) op[1])));
        }
        s.add(Sample.of("mysql_innodb_row_lock_waits_per_second", rate(9)));
        s.add(Sample.of("mysql_innodb_row_lock_time_avg_ms", 3.2));
        s.add(Sample.of("mysql_innodb_row_lock_current_waits", 0));
        s.add(Sample.of("mysql_innodb_deadlocks_per_second", rate(0)));
        s.add(Sample.of("mysql_innodb_data_reads_per_second", rate(1_326)));
        s.add(Sample.of("mysql_innodb_data_writes_per_second", rate(18_071)));
        s.add(Sample.of("mysql_innodb_data_fsyncs_per_second", rate(4_653)));
        s.add(Sample.of("mysql_innodb_os_log_written_bytes_per_second", rate(94_220_160)));
        s.add(Sample.of("mysql_innodb_log_waits", 0));
        s.add(Sample.of("mysql_innodb_checkpoint_age_bytes", 412_345_678));
        s.add(Sample.of("mysql_innodb_history_list_length", 1_284));
        // replication (one channel) and binlog
        var channel = Labels.of("channel", "pay-main");
        s.add(new Sample("mysql_replication_lag_seconds", channel, 1));
        s.add(new Sample("mysql_replication_io_running", channel, 1));
        s.add(new Sample("mysql_replication_sql_running", channel, 1));
        s.add(Sample.of("mysql_binlog_files", 37));
        s.add(Sample.of("mysql_binlog_size_bytes", 38_654_705_664.0));
        s.add(Sample.of("mysql_scrape_duration_seconds", 0.042_318_911));
        return new SampleBatch("pay-db-2", 1_763_780_415_000L, labels, List.copyOf(s));
    }

    private static double rate(long delta) {
        return delta / INTERVAL_SECONDS;
    }
}
