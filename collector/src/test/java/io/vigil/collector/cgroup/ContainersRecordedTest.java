package io.vigil.collector.cgroup;

import io.vigil.collector.Reading;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Discovery and parsing on cgroup trees laid out as the runtimes lay them out: a Kubernetes node on
 * pure cgroup v2 with the systemd driver (containerd), and a Docker host on v1 with the cgroupfs
 * driver and a combined {@code cpu,cpuacct} hierarchy. The file contents are in the kernel's formats
 * (Documentation/admin-guide/cgroup-v2.rst, cgroup-v1/*.rst); the live test beside this one reads a
 * real tree.
 */
class ContainersRecordedTest {

    private static final String ID_A = "3f2b7c9d1e4a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e";
    private static final String ID_B = "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b";

    @TempDir
    Path root;

    @Test
    void aKubernetesNodeOnCgroupV2WithTheSystemdDriver() throws Exception {
        Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
        Path pod = Files.createDirectories(root.resolve("kubepods.slice/kubepods-burstable.slice/"
                + "kubepods-burstable-pod1c2d3e4f_5a6b_7c8d_9e0f_a1b2c3d4e5f6.slice"));
        Path c = Files.createDirectories(pod.resolve("cri-containerd-" + ID_A + ".scope"));
        write(c, "cpu.stat", "usage_usec 5437854\nuser_usec 5000000\nsystem_usec 437854\nnr_periods 100\nnr_throttled 25\nthrottled_usec 900000\n");
        write(c, "cpu.max", "50000 100000\n");
        write(c, "memory.current", "322949120\n");
        write(c, "memory.max", "536870912\n");
        write(c, "memory.stat", "anon 300000000\nfile 22949120\ninactive_file 20000000\nactive_file 2949120\n");
        write(c, "memory.events", "low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\n");
        write(c, "io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n8:16 rbytes=1000 wbytes=0 rios=1 wios=0\n");
        // A crio-conmon helper scope is not a container.
        Files.createDirectories(pod.resolve("crio-conmon-" + ID_B + ".scope"));

        var scraper = new ContainersScraper(target());
        List<Reading> first = scraper.scrape();
        write(c, "cpu.stat", "usage_usec 6437854\nnr_periods 200\nnr_throttled 85\n");
        List<Reading> second = scraper.scrape();

        assertThat(value(first, ContainerMetrics.DISCOVERED)).isEqualTo(1);
        Reading used = only(first, ContainerMetrics.MEMORY_USED);
        assertThat(used.labels().asMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "container", ID_A.substring(0, 12), "runtime", "containerd", "pod_uid", "1c2d3e4f-5a6b-7c8d-9e0f-a1b2c3d4e5f6"));
        assertThat(used.value()).isEqualTo(322949120 - 20000000);
        assertThat(value(first, ContainerMetrics.MEMORY_LIMIT)).isEqualTo(536870912);
        assertThat(value(first, ContainerMetrics.MEMORY_USED_RATIO)).isEqualTo((322949120 - 20000000) / 536870912.0);
        assertThat(value(first, ContainerMetrics.CPU_LIMIT)).isEqualTo(0.5);
        assertThat(only(first, ContainerMetrics.CPU_USAGE).counter()).isTrue();
        assertThat(value(first, ContainerMetrics.CPU_USAGE)).isEqualTo(5.437854);
        assertThat(value(first, ContainerMetrics.OOM_KILLS)).isEqualTo(2);
        assertThat(value(first, ContainerMetrics.BLKIO_READ)).isEqualTo(5096);
        assertThat(value(first, ContainerMetrics.BLKIO_WRITE)).isEqualTo(8192);
        // Throttling is a share of the periods between two scrapes: none at the first.
        assertThat(first).noneMatch(r -> r.metric().equals(ContainerMetrics.CPU_THROTTLED_RATIO));
        assertThat(value(second, ContainerMetrics.CPU_THROTTLED_RATIO)).isEqualTo(0.6);
    }

    @Test
    void aDockerHostOnCgroupV1WithCombinedCpuHierarchies() throws Exception {
        Path cpu = Files.createDirectories(root.resolve("cpu,cpuacct/docker/" + ID_B));
        Path mem = Files.createDirectories(root.resolve("memory/docker/" + ID_B));
        Path blk = Files.createDirectories(root.resolve("blkio/docker/" + ID_B));
        Files.createDirectories(root.resolve("cpu,cpuacct/system.slice/ssh.service"));
        write(cpu, "cpuacct.usage", "4715594683\n");
        write(cpu, "cpu.cfs_quota_us", "-1\n");
        write(cpu, "cpu.cfs_period_us", "100000\n");
        write(cpu, "cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");
        write(mem, "memory.usage_in_bytes", "104857600\n");
        write(mem, "memory.limit_in_bytes", "9223372036854771712\n");
        write(mem, "memory.stat", "cache 4194304\nrss 100663296\ntotal_inactive_file 4194304\n");
        write(mem, "memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        write(blk, "blkio.throttle.io_service_bytes", "8:0 Read 12288\n8:0 Write 4096\n8:0 Sync 0\n8:0 Total 16384\nTotal 16384\n");

        List<Reading> r = new ContainersScraper(target()).scrape();

        assertThat(only(r, ContainerMetrics.CPU_USAGE).labels().asMap())
                .containsExactlyInAnyOrderEntriesOf(Map.of("container", ID_B.substring(0, 12), "runtime", "docker"));
        assertThat(value(r, ContainerMetrics.CPU_USAGE)).isEqualTo(4.715594683);
        assertThat(value(r, ContainerMetrics.MEMORY_USED)).isEqualTo(104857600 - 4194304);
        // No limit (quota -1, limit near 2^63): no limit series and no ratio, rather than a ratio of ~0.
        assertThat(r).noneMatch(x -> x.metric().equals(ContainerMetrics.CPU_LIMIT) || x.metric().equals(ContainerMetrics.MEMORY_LIMIT)
                || x.metric().equals(ContainerMetrics.MEMORY_USED_RATIO));
        assertThat(value(r, ContainerMetrics.BLKIO_READ)).isEqualTo(12288);
        assertThat(value(r, ContainerMetrics.BLKIO_WRITE)).isEqualTo(4096);
        assertThat(value(r, ContainerMetrics.OOM_KILLS)).isZero();
    }

    @Test
    void aMissingRootIsAScrapeErrorThatNamesTheTarget() {
        var scraper = new ContainersScraper(new Target("node-1-containers", TargetKind.CONTAINERS, root.resolve("nope").toString(), "k8s",
                null, null, Duration.ofSeconds(10), Duration.ofSeconds(5), null));
        org.assertj.core.api.Assertions.assertThatThrownBy(scraper::scrape)
                .hasMessageStartingWith("target node-1-containers: ").hasMessageContaining("is not a directory");
    }

    private Target target() {
        return new Target("node-1-containers", TargetKind.CONTAINERS, root.toString(), "k8s", null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(5), null);
    }

    private static void write(Path dir, String file, String content) throws Exception {
        Files.writeString(dir.resolve(file), content);
    }

    private static Reading only(List<Reading> readings, String metric) {
        var matching = readings.stream().filter(r -> r.metric().equals(metric)).toList();
        assertThat(matching).as(metric).hasSize(1);
        return matching.getFirst();
    }

    private static double value(List<Reading> readings, String metric) {
        return only(readings, metric).value();
    }
}
