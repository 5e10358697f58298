package io.vigil.collector.cgroup;

import io.vigil.collector.CounterDeltaRatio;
import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Labels;
import io.vigil.model.Target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

import static io.vigil.collector.cgroup.ContainerMetrics.BLKIO_READ;
import static io.vigil.collector.cgroup.ContainerMetrics.BLKIO_WRITE;
import static io.vigil.collector.cgroup.ContainerMetrics.CPU_LIMIT;
import static io.vigil.collector.cgroup.ContainerMetrics.CPU_THROTTLED_RATIO;
import static io.vigil.collector.cgroup.ContainerMetrics.CPU_USAGE;
import static io.vigil.collector.cgroup.ContainerMetrics.MEMORY_LIMIT;
import static io.vigil.collector.cgroup.ContainerMetrics.MEMORY_USED;
import static io.vigil.collector.cgroup.ContainerMetrics.MEMORY_USED_RATIO;
import static io.vigil.collector.cgroup.ContainerMetrics.OOM_KILLS;

/**
 * The containers of this host, read from the cgroup tree at the target's address: CPU used, its
 * limit and how much of the time it was throttled; memory used (the working set: usage less the
 * inactive file cache, which the kernel reclaims before it kills) against the limit; OOM kills;
 * block I/O. v1 files are preferred where a controller is mounted on v1; v2 files fill in the rest.
 */
public final class ContainersScraper implements Scraper {

    private final Target target;
    private final Path root;
    /** Per container: the throttled periods' share since the previous scrape. */
    private final Map<String, CounterDeltaRatio> throttling = new HashMap<>();

    public ContainersScraper(Target target) {
        this.target = target;
        this.root = Path.of(target.address());
    }

    @Override
    public List<Reading> scrape() throws ScrapeException {
        if (!Files.isDirectory(root)) {
            throw new ScrapeException("target " + target.id() + ": " + root + " is not a directory (the cgroup mount root, e.g. /sys/fs/cgroup)");
        }
        List<Container> containers;
        try {
            containers = ContainerDiscovery.discover(root);
        } catch (IOException e) {
            throw new ScrapeException("target " + target.id() + ": cannot read the cgroup tree under " + root + ": " + e.getMessage(), e);
        }
        var out = new ArrayList<Reading>();
        out.add(Reading.gauge(ContainerMetrics.DISCOVERED, containers.size()));
        var seen = new HashSet<String>();
        for (Container c : containers) {
            seen.add(c.id());
            try {
                read(c, out);
            } catch (IOException e) {
                // One container ending mid-read loses its readings for this scrape, not the others'.
                throttling.remove(c.id());
            }
        }
        throttling.keySet().retainAll(seen);
        return out;
    }

    private void read(Container c, List<Reading> out) throws IOException {
        var labels = new TreeMap<String, String>();
        labels.put(ContainerMetrics.CONTAINER, c.shortId());
        labels.put(ContainerMetrics.RUNTIME, c.runtime());
        if (c.podUid() != null) {
            labels.put(ContainerMetrics.POD_UID, c.podUid());
        }
        Labels l = Labels.of(labels);
        Path v2 = c.dir(Container.V2);
        Map<String, Double> v2Cpu = CgroupFiles.keyed(v2, "cpu.stat");

        // CPU time, in seconds (a counter: the collector turns it into cores in use).
        OptionalDouble usageNanos = CgroupFiles.number(c.dir("cpuacct"), "cpuacct.usage");
        if (usageNanos.isPresent()) {
            out.add(new Reading(CPU_USAGE, l, usageNanos.getAsDouble() / 1e9, true));
        } else if (v2Cpu.containsKey("usage_usec")) {
            out.add(new Reading(CPU_USAGE, l, v2Cpu.get("usage_usec") / 1e6, true));
        }

        // The CPU limit and throttling: v1 cpu controller, else v2 cpu.max / cpu.stat.
        Path cpu = c.dir("cpu");
        OptionalDouble quota = CgroupFiles.number(cpu, "cpu.cfs_quota_us");
        OptionalDouble period = CgroupFiles.number(cpu, "cpu.cfs_period_us");
        Map<String, Double> cpuStat = cpu != null ? CgroupFiles.keyed(cpu, "cpu.stat") : v2Cpu;
        if (quota.isPresent() && period.isPresent()) {
            if (quota.getAsDouble() > 0 && period.getAsDouble() > 0) {
                out.add(new Reading(CPU_LIMIT, l, quota.getAsDouble() / period.getAsDouble(), false));
            }
        } else if (v2 != null) {
            String max = CgroupFiles.read(v2.resolve("cpu.max"));
            if (max != null && !max.startsWith("max")) {
                String[] qp = max.split("\\s+");
                out.add(new Reading(CPU_LIMIT, l, Double.parseDouble(qp[0]) / Double.parseDouble(qp[1]), false));
            }
        }
        if (cpuStat.containsKey("nr_throttled") && cpuStat.containsKey("nr_periods")) {
            throttling.computeIfAbsent(c.id(), k -> new CounterDeltaRatio())
                    .update(cpuStat.get("nr_throttled"), cpuStat.get("nr_periods"))
                    .ifPresent(r -> out.add(new Reading(CPU_THROTTLED_RATIO, l, r, false)));
        }

        // Memory: the working set against the limit.
        Path memory = c.dir("memory");
        OptionalDouble used;
        OptionalDouble limit;
        double oomKills;
        if (memory != null) {
            Map<String, Double> stat = CgroupFiles.keyed(memory, "memory.stat");
            used = minus(CgroupFiles.number(memory, "memory.usage_in_bytes"), stat.getOrDefault("total_inactive_file", 0.0));
            limit = CgroupFiles.number(memory, "memory.limit_in_bytes");
            oomKills = CgroupFiles.keyed(memory, "memory.oom_control").getOrDefault("oom_kill", Double.NaN);
        } else {
            Map<String, Double> stat = CgroupFiles.keyed(v2, "memory.stat");
            used = minus(CgroupFiles.number(v2, "memory.current"), stat.getOrDefault("inactive_file", 0.0));
            limit = CgroupFiles.number(v2, "memory.max");
            oomKills = CgroupFiles.keyed(v2, "memory.events").getOrDefault("oom_kill", Double.NaN);
        }
        used.ifPresent(u -> out.add(new Reading(MEMORY_USED, l, u, false)));
        if (limit.isPresent() && limit.getAsDouble() < CgroupFiles.UNLIMITED) {
            out.add(new Reading(MEMORY_LIMIT, l, limit.getAsDouble(), false));
            used.ifPresent(u -> out.add(new Reading(MEMORY_USED_RATIO, l, u / limit.getAsDouble(), false)));
        }
        if (!Double.isNaN(oomKills)) {
            out.add(new Reading(OOM_KILLS, l, oomKills, true));
        }

        // Block I/O, bytes (counters).
        Map<String, Double> blkio = CgroupFiles.blkioBytes(c.dir("blkio"));
        if (!blkio.isEmpty()) {
            out.add(new Reading(BLKIO_READ, l, blkio.getOrDefault("Read", 0.0), true));
            out.add(new Reading(BLKIO_WRITE, l, blkio.getOrDefault("Write", 0.0), true));
        } else if (v2 != null && Files.exists(v2.resolve("io.stat"))) {
            Map<String, Double> io = CgroupFiles.ioStat(v2);
            out.add(new Reading(BLKIO_READ, l, io.getOrDefault("rbytes", 0.0), true));
            out.add(new Reading(BLKIO_WRITE, l, io.getOrDefault("wbytes", 0.0), true));
        }
    }

    private static OptionalDouble minus(OptionalDouble a, double b) {
        return a.isPresent() ? OptionalDouble.of(Math.max(0, a.getAsDouble() - b)) : OptionalDouble.empty();
    }

    @Override
    public void close() {
        throttling.clear();
    }
}
