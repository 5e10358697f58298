package io.vigil.collector.cgroup;

import io.vigil.collector.Reading;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The containers scraper on the machine's real cgroup tree: the test makes a "container" as Docker's
 * systemd driver names it ({@code docker-<id>.scope}), limits it to 0.2 CPU and 256 MiB, runs a
 * process in it that burns CPU and allocates memory, and checks what the scraper reads; a second one
 * with a 64 MiB limit is OOM-killed. The memory group is made under this process's own memory cgroup,
 * so the machine's accounting is untouched (see the test-bed notes, section 9).
 */
class ContainersCgroupTest {

    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    /** Sleeps 1 s (time to be moved into the groups), then burns CPU while allocating 10 MiB steps up to a cap, then holds. */
    private static final String BURN = """
            import sys, time
            cap = int(sys.argv[1]) << 20
            time.sleep(1)
            chunks, end = [], time.time() + float(sys.argv[2])
            while time.time() < end:
                if sum(len(c) for c in chunks) < cap:
                    chunks.append(bytearray(10 << 20))
                sum(i * i for i in range(20000))
            time.sleep(60)
            """;

    private final List<Path> groups = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void needsWritableCgroups() {
        assumeThat(Files.isWritable(ROOT.resolve("cpuacct")) && Files.isWritable(ROOT.resolve("memory")))
                .as("cgroup v1 cpuacct and memory writable here (root on the test machines)").isTrue();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        for (Path g : groups.reversed()) {
            Files.deleteIfExists(g);
        }
    }

    @Test
    void aBusyLimitedContainerIsReadForCpuThrottlingAndMemory() throws Exception {
        String id = randomId();
        Map<String, Path> dirs = container("vigil-test-" + ProcessHandle.current().pid(), "docker-" + id + ".scope");
        Files.writeString(dirs.get("cpu").resolve("cpu.cfs_period_us"), "100000");
        Files.writeString(dirs.get("cpu").resolve("cpu.cfs_quota_us"), "20000");
        Files.writeString(dirs.get("memory").resolve("memory.limit_in_bytes"), String.valueOf(256L << 20));
        Process burner = start(dirs, 150, 6);

        var scraper = new ContainersScraper(target());
        Thread.sleep(1500); // moved in, started burning
        List<Reading> before = mine(scraper.scrape(), id);
        long t0 = System.nanoTime();
        Thread.sleep(4000);
        List<Reading> after = mine(scraper.scrape(), id);
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertThat(burner.isAlive()).isTrue();
        assertThat(only(after, ContainerMetrics.CPU_USAGE).labels().asMap())
                .containsEntry("container", id.substring(0, 12)).containsEntry("runtime", "docker");
        double cores = (value(after, ContainerMetrics.CPU_USAGE) - value(before, ContainerMetrics.CPU_USAGE)) / seconds;
        // Limited to 0.2 cores, and busy: it used about that much, and most periods were throttled.
        assertThat(cores).isBetween(0.1, 0.25);
        assertThat(value(after, ContainerMetrics.CPU_LIMIT)).isEqualTo(0.2);
        assertThat(value(after, ContainerMetrics.CPU_THROTTLED_RATIO)).isGreaterThan(0.5);
        assertThat(value(after, ContainerMetrics.MEMORY_LIMIT)).isEqualTo(256L << 20);
        assertThat(value(after, ContainerMetrics.MEMORY_USED)).isGreaterThan(20L << 20).isLessThan(256L << 20);
        assertThat(value(after, ContainerMetrics.MEMORY_USED_RATIO)).isEqualTo(value(after, ContainerMetrics.MEMORY_USED) / (256L << 20));
        assertThat(value(after, ContainerMetrics.OOM_KILLS)).isZero();
    }

    @Test
    void aContainerThatOutgrowsItsMemoryLimitCountsAnOomKill() throws Exception {
        String id = randomId();
        Map<String, Path> dirs = container("vigil-test-oom-" + ProcessHandle.current().pid(), id);
        Files.writeString(dirs.get("memory").resolve("memory.limit_in_bytes"), String.valueOf(64L << 20));
        var scraper = new ContainersScraper(target());
        Process hog = start(dirs, 200, 5);

        assertThat(hog.waitFor(30, TimeUnit.SECONDS)).as("killed by the OOM killer").isTrue();
        assertThat(hog.exitValue()).isEqualTo(137);
        List<Reading> r = mine(scraper.scrape(), id);
        assertThat(value(r, ContainerMetrics.OOM_KILLS)).isEqualTo(1);
        assertThat(only(r, ContainerMetrics.OOM_KILLS).counter()).isTrue();
        // A bare id with no runtime's parent directory is still a container, of an unknown runtime.
        assertThat(only(r, ContainerMetrics.OOM_KILLS).labels().get("runtime")).isEqualTo("container");
    }

    /** The container's directory in each hierarchy this machine has, created; memory under our own memory cgroup. */
    private Map<String, Path> container(String parent, String name) throws IOException {
        String ownMemory = Files.readAllLines(Path.of("/proc/self/cgroup")).stream().map(l -> l.split(":", 3))
                .filter(f -> f[1].equals("memory")).map(f -> f[2]).findFirst().orElse("/");
        var out = new java.util.HashMap<String, Path>();
        for (String h : List.of("cpu", "cpuacct", "memory", "blkio", "unified")) {
            Path base = ROOT.resolve(h);
            if (!Files.isDirectory(base)) {
                continue;
            }
            if (h.equals("memory")) {
                base = Path.of(base + ownMemory);
            }
            Path p = base.resolve(parent);
            Path c = p.resolve(name);
            Files.createDirectories(c);
            if (!groups.contains(p)) {
                groups.add(p);
            }
            groups.add(c);
            out.put(h, c);
        }
        return out;
    }

    private Process start(Map<String, Path> dirs, int capMiB, int burnSeconds) throws IOException {
        Process p = new ProcessBuilder("python3", "-c", BURN, String.valueOf(capMiB), String.valueOf(burnSeconds))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        for (Path dir : dirs.values()) {
            Files.writeString(dir.resolve("cgroup.procs"), String.valueOf(p.pid()));
        }
        return p;
    }

    private static Target target() {
        return new Target("this-host", TargetKind.CONTAINERS, ROOT.toString(), "host", null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), null);
    }

    private static String randomId() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static List<Reading> mine(List<Reading> readings, String id) {
        return readings.stream().filter(r -> id.substring(0, 12).equals(r.labels().get("container"))).toList();
    }

    private static Reading only(List<Reading> readings, String metric) {
        var matching = readings.stream().filter(r -> r.metric().equals(metric)).toList();
        assertThat(matching).as(metric + " in " + readings).hasSize(1);
        return matching.getFirst();
    }

    private static double value(List<Reading> readings, String metric) {
        return only(readings, metric).value();
    }
}
