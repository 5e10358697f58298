package io.vigil.collector.cgroup;

import java.util.List;

/**
 * Every metric name the containers scraper can emit. {@code docs/metrics.md} documents each one, and
 * a test holds the two lists equal. Counter-backed names end in {@code _per_second}.
 */
public final class ContainerMetrics {

    public static final String CPU_USAGE = "container_cpu_usage_seconds_per_second";
    public static final String CPU_LIMIT = "container_cpu_limit_cores";
    public static final String CPU_THROTTLED_RATIO = "container_cpu_throttled_ratio";
    public static final String MEMORY_USED = "container_memory_used_bytes";
    public static final String MEMORY_LIMIT = "container_memory_limit_bytes";
    public static final String MEMORY_USED_RATIO = "container_memory_used_ratio";
    public static final String OOM_KILLS = "container_oom_kills_per_second";
    public static final String BLKIO_READ = "container_blkio_read_bytes_per_second";
    public static final String BLKIO_WRITE = "container_blkio_write_bytes_per_second";
    /** Containers found in the cgroup tree at this scrape (no container label). */
    public static final String DISCOVERED = "containers_discovered";

    /** The container's id, its first 12 hex digits (as {@code docker ps} shows it). */
    public static final String CONTAINER = "container";
    /** docker, containerd, crio, podman, or container when the tree does not say. */
    public static final String RUNTIME = "runtime";
    /** The Kubernetes pod's UID, when the container runs in a pod. */
    public static final String POD_UID = "pod_uid";

    public static final List<String> ALL = List.of(CPU_USAGE, CPU_LIMIT, CPU_THROTTLED_RATIO, MEMORY_USED, MEMORY_LIMIT,
            MEMORY_USED_RATIO, OOM_KILLS, BLKIO_READ, BLKIO_WRITE, DISCOVERED);

    private ContainerMetrics() {
    }
}
