package io.vigil.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vigil.collector.CounterRates;
import io.vigil.collector.Reading;
import io.vigil.collector.mysql.MySqlScraper;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.model.codec.SampleBatchCodec;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * CPU per MySQL scrape in the collector: the scrape through Connector/J, counter rates and the wire
 * encoding of the batch (what a scrape costs before Kafka), measured as this process's CPU time
 * (every thread: JIT and GC included) over many scrapes after a warm-up.
 * Usage: {@code CollectorScrapeBench <host:port> <user> <password-file> <scrapes>}
 */
public final class CollectorScrapeBench {

    public static void main(String[] args) throws Exception {
        String password = Files.readString(Path.of(args[2])).trim();
        int scrapes = Integer.parseInt(args[3]);
        var target = new Target("bench-db", TargetKind.MYSQL, args[0], "bench", args[1], Secret.of(password),
                Duration.ofSeconds(10), Duration.ofSeconds(5), null);
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (var scraper = new MySqlScraper(target)) {
            var rates = new CounterRates();
            int samples = 0;
            long bytes = 0;
            for (int i = 0; i < 200; i++) {
                once(scraper, rates);
            }
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            for (int i = 0; i < scrapes; i++) {
                byte[] batch = once(scraper, rates);
                bytes += batch.length;
                samples = SampleBatchCodec.decode(batch).samples().size();
            }
            double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
            double wallMs = (System.nanoTime() - wall0) / 1e6;
            System.out.printf("vigil collector: scrapes=%d cpu_ms_per_scrape=%.3f wall_ms_per_scrape=%.3f samples_per_scrape=%d "
                    + "batch_bytes=%d%n", scrapes, cpuMs / scrapes, wallMs / scrapes, samples, bytes / scrapes);
        }
    }

    private static byte[] once(MySqlScraper scraper, CounterRates rates) throws Exception {
        long now = System.currentTimeMillis();
        List<Reading> readings = scraper.scrape();
        List<Sample> samples = rates.apply(readings, now);
        return SampleBatchCodec.encode(new SampleBatch("bench-db", now, io.vigil.model.Labels.of("cluster", "bench", "instance",
                "127.0.0.1", "kind", "mysql", "target", "bench-db"), samples));
    }
}
