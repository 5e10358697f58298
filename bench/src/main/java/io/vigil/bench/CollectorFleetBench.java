package io.vigil.bench;

import com.sun.management.OperatingSystemMXBean;
import io.vigil.collector.SamplePublisher;
import io.vigil.collector.ScrapeLateness;
import io.vigil.collector.ScrapeScheduler;
import io.vigil.collector.mysql.MySqlScraperFactory;
import io.vigil.model.Labels;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many MySQL targets at once through the collector's own scheduler (all pointing at one local MariaDB,
 * with distinct ids and labels): the collector's CPU and heap, and how late scrapes start against
 * their schedule. Batches are encoded for Kafka and dropped, so the figures are the collector's own.
 * Usage: {@code CollectorFleetBench <host:port> <user> <password-file> <targets> <interval-seconds> <measure-seconds>}
 */
public final class CollectorFleetBench {

    public static void main(String[] args) throws Exception {
        String password = Files.readString(Path.of(args[2])).trim();
        int count = Integer.parseInt(args[3]);
        Duration interval = Duration.ofSeconds(Long.parseLong(args[4]));
        long measureSeconds = Long.parseLong(args[5]);
        var batches = new AtomicLong();
        var up = new AtomicLong();
        var samples = new AtomicLong();
        SamplePublisher publisher = new SamplePublisher() {
            @Override
            public void publish(SampleBatch batch) {
                SampleBatchCodec.encode(batch);
                batches.incrementAndGet();
                samples.addAndGet(batch.samples().size());
                for (Sample s : batch.samples()) {
                    if (s.metric().equals("up") && s.value() == 1) {
                        up.incrementAndGet();
                    }
                }
            }

            @Override
            public void close() {
            }
        };
        var targets = new ArrayList<Target>(count);
        for (int i = 0; i < count; i++) {
            targets.add(new Target("db-" + i, TargetKind.MYSQL, args[0], "c" + (i % 50), args[1], Secret.of(password), interval,
                    Duration.ofSeconds(5), Labels.of("service", "svc-" + (i % 20), "idc", "idc-" + (i % 3))));
        }
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (var scheduler = new ScrapeScheduler(List.of(new MySqlScraperFactory()), publisher)) {
            scheduler.start(targets);
            // One interval to open every connection and take the first readings (rates need two).
            Thread.sleep(interval.toMillis() * 2);
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            long batches0 = batches.get();
            long up0 = up.get();
            long samples0 = samples.get();
            Thread.sleep(measureSeconds * 1000);
            double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
            double wallSeconds = (System.nanoTime() - wall0) / 1e9;
            long scrapes = batches.get() - batches0;
            ScrapeLateness.Snapshot late = scheduler.lateness();
            System.gc();
            Runtime rt = Runtime.getRuntime();
            System.out.printf("collector fleet: targets=%d interval=%ds measured=%.0fs scrapes=%d (expected %d) up=%.1f%% "
                            + "samples_per_scrape=%.0f cpu_cores=%.3f cpu_ms_per_scrape=%.3f heap_after_gc_mb=%.0f "
                            + "lateness_p50_ms=%.1f lateness_p99_ms=%.1f lateness_max_ms=%.1f%n",
                    count, interval.toSeconds(), wallSeconds, scrapes, (long) (count * wallSeconds / interval.toSeconds()),
                    100.0 * (up.get() - up0) / Math.max(1, scrapes), (samples.get() - samples0) / (double) Math.max(1, scrapes),
                    cpuSeconds / wallSeconds, cpuSeconds * 1000 / Math.max(1, scrapes), (rt.totalMemory() - rt.freeMemory()) / 1e6,
                    late.p50Seconds() * 1000, late.p99Seconds() * 1000, late.maxSeconds() * 1000);
        }
    }
}
