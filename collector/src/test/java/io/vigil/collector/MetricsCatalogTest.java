package io.vigil.collector;

import io.vigil.collector.cgroup.ContainerMetrics;
import io.vigil.collector.mongodb.MongoMetrics;
import io.vigil.collector.mysql.GaleraMetrics;
import io.vigil.collector.mysql.GroupReplicationMetrics;
import io.vigil.collector.mysql.MySqlMetrics;
import io.vigil.collector.redis.RedisMetrics;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/metrics.md and the code name the same metrics, no more, no fewer. */
class MetricsCatalogTest {

    /** A table row whose first cell is a metric name in backticks. */
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_][a-z0-9_]*)` \\|");

    static final Path CATALOG = Path.of("..", "docs", "metrics.md");

    private static Set<String> documented() throws Exception {
        var names = new TreeSet<String>();
        for (String line : Files.readAllLines(CATALOG)) {
            var m = ROW.matcher(line);
            if (m.find()) {
                assertThat(names.add(m.group(1))).as("%s is documented twice", m.group(1)).isTrue();
            }
        }
        return names;
    }

    @Test
    void everyMetricTheCodeCanEmitIsDocumentedAndNothingElse() throws Exception {
        var emittable = new TreeSet<>(MySqlMetrics.ALL);
        emittable.addAll(GaleraMetrics.ALL);
        emittable.addAll(GroupReplicationMetrics.ALL);
        emittable.addAll(RedisMetrics.ALL);
        emittable.addAll(ContainerMetrics.ALL);
        emittable.addAll(MongoMetrics.ALL);
        emittable.addAll(List.of(TargetScrapeLoop.UP, TargetScrapeLoop.SCRAPE_DURATION, TargetScrapeLoop.SCRAPE_ERROR));
        assertThat(documented()).as("metric names in " + CATALOG.toAbsolutePath().normalize())
                .containsExactlyInAnyOrderElementsOf(emittable);
    }
}
