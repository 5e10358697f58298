package io.vigil.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.vigil.collector.CollectorRole;
import io.vigil.collector.KafkaSamplePublisher;
import io.vigil.collector.logs.ShipperCounters;
import io.vigil.ingest.IngestConsumer;
import io.vigil.ingest.IngestRole;
import io.vigil.logs.role.LogsConsumer;
import io.vigil.logs.role.LogsRole;
import io.vigil.notifier.DeliveryWorker;
import io.vigil.notifier.NotifierRole;
import io.vigil.notifier.dispatch.AlertEventsConsumer;
import io.vigil.notifier.dispatch.DispatchLoop;
import io.vigil.rules.RulesConsumer;
import io.vigil.rules.RulesRole;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * Vigil's own metrics on {@code /q/metrics}: what the roles did, so that Vigil can be watched
 * like any other part of the fleet. The role modules keep plain counters; only the server knows
 * Micrometer.
 */
@ApplicationScoped
public class RoleMetrics {

    private final MeterRegistry registry;
    private final CollectorRole collector;
    private final IngestRole ingest;
    private final RulesRole rules;
    private final NotifierRole notifier;
    private final LogsRole logs;

    public RoleMetrics(MeterRegistry registry, CollectorRole collector, IngestRole ingest, RulesRole rules, NotifierRole notifier,
                       LogsRole logs) {
        this.registry = registry;
        this.collector = collector;
        this.ingest = ingest;
        this.rules = rules;
        this.notifier = notifier;
        this.logs = logs;
    }

    // After the roles have started (default observer priority is 2500).
    void onStart(@Observes @jakarta.annotation.Priority(5000) StartupEvent event) {
        collector.publisher().ifPresent(this::bindCollector);
        collector.shipper().ifPresent(s -> bindShipper(s.counters()));
        collector.scheduler().ifPresent(s -> {
            Gauge.builder("vigil_collector_scrape_lateness_p99_seconds", s, x -> x.lateness().p99Seconds())
                    .description("how late scrapes started against their schedule, 99th percentile of the last 10,000").register(registry);
            Gauge.builder("vigil_collector_scrape_lateness_max_seconds", s, x -> x.lateness().maxSeconds())
                    .description("the latest start among the last 10,000 scrapes").register(registry);
        });
        if (!ingest.consumers().isEmpty()) {
            bindIngest(ingest.consumers());
        }
        logs.consumer().ifPresent(this::bindLogs);
        if (rules.consumer() != null) {
            bindRules(rules.consumer());
        }
        notifier.consumer().ifPresent(c -> {
            counter("vigil_notifier_events_received", "alert events stored (redeliveries included)", c, AlertEventsConsumer::accepted);
            counter("vigil_notifier_decode_errors", "Kafka records that were not alert events", c, AlertEventsConsumer::badRecords);
            counter("vigil_notifier_store_failures", "event batches PostgreSQL refused (retried from the same offsets)", c,
                    AlertEventsConsumer::storeFailures);
        });
        notifier.dispatch().ifPresent(d -> {
            counter("vigil_notifier_notifications_queued", "notifications and escalation pages written to the outbox", d,
                    DispatchLoop::notifications);
            counter("vigil_notifier_dispatch_failures", "flushes or escalation steps that failed (retried)", d, DispatchLoop::failures);
        });
        notifier.worker().ifPresent(w -> {
            counter("vigil_notifier_delivered", "notifications a provider accepted", w, DeliveryWorker::delivered);
            counter("vigil_notifier_delivery_retries", "delivery attempts that failed and will be retried", w, DeliveryWorker::retried);
            counter("vigil_notifier_delivery_failures", "notifications given up on a channel (failed over, or failed)", w,
                    DeliveryWorker::failed);
        });
    }

    private void bindRules(RulesConsumer c) {
        counter("vigil_rules_alert_changes", "alert changes stored (pending, firing, no-data, resolved)", c, RulesConsumer::alertChanges);
        counter("vigil_rules_evaluations", "rule evaluations", c, RulesConsumer::evaluations);
        counter("vigil_rules_decode_errors", "Kafka records that were not sample batches", c, RulesConsumer::badRecords);
        counter("vigil_rules_session_restarts", "consumer sessions that failed and were rejoined", c, RulesConsumer::sessionRestarts);
        Gauge.builder("vigil_rules_unstored_changes", c, RulesConsumer::unstoredChanges)
                .description("alert changes waiting for PostgreSQL").register(registry);
        Gauge.builder("vigil_rules_window_series", c, RulesConsumer::windowSeries)
                .description("series held in the rule engine's window").register(registry);
        Gauge.builder("vigil_rules_window_points", c, RulesConsumer::windowPoints)
                .description("points held in the rule engine's window").register(registry);
        Gauge.builder("vigil_rules_failing", c, x -> x.ruleErrors().size())
                .description("rules whose last evaluation failed (see the log)").register(registry);
        Gauge.builder("vigil_rules_loaded", rules.registry(), r -> r.snapshot().rules().size())
                .description("rules in force").register(registry);
        Gauge.builder("vigil_rules_load_problems", rules.registry(), r -> r.problems().size())
                .description("rule sources whose last change did not load (the previous rules stay)").register(registry);
    }

    private void bindCollector(KafkaSamplePublisher publisher) {
        counter("vigil_collector_batches_published", "scrapes acknowledged by Kafka", publisher, KafkaSamplePublisher::sent);
        counter("vigil_collector_publish_failures", "scrapes Kafka did not take", publisher, KafkaSamplePublisher::failed);
    }

    private void bindShipper(ShipperCounters c) {
        counter("vigil_collector_logs_batches_shipped", "log batches Kafka acknowledged", c, ShipperCounters::batches);
        counter("vigil_collector_logs_slow_queries_shipped", "slow-log entries shipped", c, ShipperCounters::slowQueries);
        counter("vigil_collector_logs_error_events_shipped", "error-log events shipped", c, ShipperCounters::errorEvents);
        counter("vigil_collector_logs_digests_shipped", "statement digest deltas shipped", c, ShipperCounters::digests);
        counter("vigil_collector_logs_parse_errors", "malformed log entries shipped as parse errors", c, ShipperCounters::parseErrors);
        counter("vigil_collector_logs_bytes_shipped", "log file bytes acknowledged", c, ShipperCounters::bytes);
        counter("vigil_collector_logs_send_failures", "log batches Kafka did not take (held and tried again)", c,
                ShipperCounters::sendFailures);
        counter("vigil_collector_logs_read_failures", "failed reads of a log file or of performance_schema (tried again)", c,
                ShipperCounters::readFailures);
        counter("vigil_collector_logs_rotations", "log files followed to their successor after a rotation", c, ShipperCounters::rotations);
        counter("vigil_collector_logs_truncations", "log files found truncated in place and read again from the start", c,
                ShipperCounters::truncations);
        counter("vigil_collector_logs_entries_too_large", "entries too large for a Kafka record, shipped as parse errors", c,
                ShipperCounters::oversized);
    }

    private void bindIngest(List<IngestConsumer> consumers) {
        sum("vigil_ingest_points_written", "points stored", consumers, IngestConsumer::pointsWritten);
        sum("vigil_ingest_batches_written", "sample batches stored", consumers, IngestConsumer::batchesWritten);
        sum("vigil_ingest_batches_redelivered", "redelivered batches skipped because already stored", consumers,
                IngestConsumer::batchesSkipped);
        sum("vigil_ingest_points_expired", "points not stored: older than the retention, or stamped over 1 h ahead", consumers,
                IngestConsumer::pointsExpired);
        sum("vigil_ingest_series_refused", "new series refused by the cardinality guard (vigil.ingest.max-series-per-target,"
                + " max-new-series-per-hour); the log names the target", consumers, IngestConsumer::seriesRefused);
        sum("vigil_ingest_points_refused", "points not stored because their new series was refused", consumers,
                IngestConsumer::pointsRefused);
        sum("vigil_ingest_decode_errors", "Kafka records that were not sample batches", consumers, IngestConsumer::decodeErrors);
        sum("vigil_ingest_write_retries", "store writes retried (database slow or down)", consumers, IngestConsumer::writeRetries);
        Gauge.builder("vigil_ingest_paused", consumers, cs -> cs.stream().filter(IngestConsumer::isPaused).count())
                .description("writers whose consumption is paused because the store cannot keep up or is down")
                .register(registry);
    }

    /** A counter over every ingest writer. */
    private void sum(String name, String description, List<IngestConsumer> consumers, ToLongFunction<IngestConsumer> read) {
        counter(name, description, consumers, cs -> cs.stream().mapToLong(read).sum());
    }

    private void bindLogs(LogsConsumer consumer) {
        counter("vigil_logs_batches_consumed", "log batches read from vigil.logs", consumer, LogsConsumer::batchesConsumed);
        counter("vigil_logs_documents_indexed", "slow queries, error events and digests Elasticsearch created", consumer,
                LogsConsumer::documentsIndexed);
        counter("vigil_logs_documents_redelivered", "documents Elasticsearch already had (redelivered records)", consumer,
                LogsConsumer::documentsExisting);
        counter("vigil_logs_documents_rejected", "documents refused for good (mapping errors; each is logged)", consumer,
                LogsConsumer::documentsRejected);
        counter("vigil_logs_decode_errors", "Kafka records that were not log batches", consumer, LogsConsumer::decodeErrors);
        counter("vigil_logs_parse_errors", "log entries the shipper could not parse", consumer, LogsConsumer::parseErrors);
        counter("vigil_logs_retries", "attempts to reach Elasticsearch that failed and were retried", consumer, LogsConsumer::retries);
        Gauge.builder("vigil_logs_paused", consumer, c -> c.isPaused() ? 1 : 0)
                .description("1 while consumption of vigil.logs is paused because Elasticsearch cannot take documents")
                .register(registry);
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> read) {
        FunctionCounter.builder(name, source, read).description(description).register(registry);
    }
}
