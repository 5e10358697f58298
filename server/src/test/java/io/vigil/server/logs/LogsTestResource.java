package io.vigil.server.logs;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.testbed.Elasticsearch;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestBed;
import java.util.HashMap;
import java.util.Map;

/**
 * Vigil with only the logs role, on the test bed's Kafka and Elasticsearch (and its own database, which the
 * store schema needs in every process), indices under {@link #PREFIX}, and retention long enough for the
 * test's fixed dates.
 */
public class LogsTestResource implements QuarkusTestResourceLifecycleManager {

    static final String PREFIX = "api-logs";

    @Override
    public Map<String, String> start() {
        TestBed.startAll(java.util.List.of(Postgres.class, Kafka.class, Elasticsearch.class));
        Postgres postgres = TestBed.get(Postgres.class);
        var config = new HashMap<String, String>();
        config.put("quarkus.datasource.jdbc.url", postgres.createDatabase("vigil_logs_api"));
        config.put("quarkus.datasource.username", postgres.user());
        config.put("vigil.kafka.bootstrap-servers", TestBed.get(Kafka.class).bootstrapServers());
        config.put("vigil.kafka.samples-partitions", "3");
        config.put("vigil.roles", "logs");
        config.put("vigil.logs.elasticsearch.url", TestBed.get(Elasticsearch.class).url());
        config.put("vigil.logs.index-prefix", PREFIX);
        config.put("vigil.logs.index-replicas", "0");
        config.put("vigil.logs.retention-days", "36500");
        config.put("vigil.logs.consumer-group", "vigil-logs-api-test");
        config.put("vigil.logs.batch-max-wait", "200ms");
        return config;
    }

    @Override
    public void stop() {
        // The test bed stops its services at JVM exit; other test classes may still use them.
    }
}
