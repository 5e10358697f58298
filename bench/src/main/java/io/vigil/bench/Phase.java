package io.vigil.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One timed phase of {@link LogsBench}: the CPU seconds this JVM (every thread, JIT and GC too) and, when their
 * PIDs are given ({@code -Dbench.es.pid}, {@code -Dbench.kafka.pid}), Elasticsearch and Kafka used during it, read
 * from {@code /proc}; and what the rest of the machine used meanwhile ({@code other_cpu_s}: the machine is shared,
 * and a phase during which something else was busy is an outlier to run again). With {@code -Dbench.jfr.dir=DIR} the phase alone is recorded with JFR's {@code profile}
 * settings into {@code DIR/NAME.jfr}, so that a warm phase's profile holds no warm-up. The JVM's CPU is also split by
 * thread: the Java threads by name, and the rest of the JVM (GC, JIT compilers, other VM threads) as one.
 */
final class Phase {

    /** {@code getconf CLK_TCK}: the unit of /proc/PID/stat's times; 100 on every Linux this runs on. */
    private static final double CLOCK_TICKS = Double.parseDouble(System.getProperty("bench.clk.tck", "100"));

    private final String name;
    private final double jvm0;
    private final double es0;
    private final double kafka0;
    private final double machine0;
    private final Recording recording;
    private final Map<Long, Long> threadCpu0;
    private final long jit0;

    private Phase(String name, Recording recording) {
        this.name = name;
        this.recording = recording;
        this.jvm0 = jvmCpu();
        this.es0 = serviceCpu("bench.es.pid");
        this.kafka0 = serviceCpu("bench.kafka.pid");
        this.machine0 = machineCpu();
        this.threadCpu0 = threadCpu();
        this.jit0 = jitMillis();
    }

    static Phase start(String name) throws IOException {
        Recording r = null;
        String dir = System.getProperty("bench.jfr.dir");
        if (dir != null) {
            try {
                r = new Recording(Configuration.getConfiguration("profile"));
            } catch (java.text.ParseException e) {
                throw new IOException("JFR's profile settings", e);
            }
            r.setName(name);
            r.setToDisk(true);
            r.setDestination(Path.of(dir, name + ".jfr"));
            r.start();
        }
        return new Phase(name, r);
    }

    /**
     * Ends the phase: its CPU seconds as {@code jvm_cpu_s=… es_cpu_s=… kafka_cpu_s=… other_cpu_s=…}; stops and
     * writes the recording.
     */
    String end() {
        double jvm = jvmCpu() - jvm0;
        double es = serviceCpu("bench.es.pid") - es0;
        double kafka = serviceCpu("bench.kafka.pid") - kafka0;
        double machine = machineCpu() - machine0;
        System.out.println("CPU of " + name + " by thread: " + byThread(jvm) + String.format(Locale.ROOT,
                "; of which JIT compiling (compiler threads' time)=%.2f", (jitMillis() - jit0) / 1e3));
        abandon();
        return String.format(Locale.ROOT, "jvm_cpu_s=%.1f es_cpu_s=%.1f kafka_cpu_s=%.1f other_cpu_s=%.1f", jvm, es, kafka,
                machine - jvm - es - kafka);
    }

    /** Stops the recording, if any and still running (a phase that failed half-way). */
    void abandon() {
        if (recording != null && recording.getState() == jdk.jfr.RecordingState.RUNNING) {
            recording.stop(); // written to its destination
            System.out.println("JFR recording of " + name + ": " + recording.getDestination());
        }
    }

    /** CPU nanoseconds of every live Java thread, by id. */
    private static Map<Long, Long> threadCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var cpu = new HashMap<Long, Long>();
        for (long id : threads.getAllThreadIds()) {
            long ns = threads.getThreadCpuTime(id);
            if (ns >= 0) {
                cpu.put(id, ns);
            }
        }
        return cpu;
    }

    /**
     * The phase's CPU seconds by thread name (digits of pools folded, so that a phase's new clients add up with the
     * old ones' threads), largest first; what the Java threads do not account for of {@code jvmSeconds} is the VM's.
     */
    private String byThread(double jvmSeconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var byName = new TreeMap<String, Double>();
        double java = 0;
        for (var e : threadCpu().entrySet()) {
            double s = (e.getValue() - threadCpu0.getOrDefault(e.getKey(), 0L)) / 1e9;
            var info = threads.getThreadInfo(e.getKey());
            if (info == null || s < 0.05) {
                java += Math.max(0, s);
                continue;
            }
            java += s;
            byName.merge(info.getThreadName().replaceAll("\\d+", "N"), s, Double::sum);
        }
        var out = new StringBuilder();
        byName.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s=%.2f; ", e.getKey(), e.getValue())));
        // Threads that ended within the phase are missing from both sides; their CPU lands here too.
        return out.append(String.format(Locale.ROOT, "VM and ended threads (GC, JIT, …)=%.2f", jvmSeconds - java)).toString();
    }

    /** Time the JIT compilers have spent so far, all compiler threads together. */
    private static long jitMillis() {
        var jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
    }

    private static double jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** CPU seconds every core of the machine has been busy since boot: the first line of /proc/stat, idle and iowait left out. */
    private static double machineCpu() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            String[] f = lines.findFirst().orElseThrow().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[]{1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                busy += Long.parseLong(f[i]);
            }
            return busy / CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** utime + stime of the process whose PID the property names, in seconds; NaN without it. */
    private static double serviceCpu(String pidProperty) {
        String pid = System.getProperty(pidProperty);
        if (pid == null) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS; // fields 14 and 15
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
