package io.vigil.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A three-node MariaDB Galera cluster on loopback (testbed.md section 2c), each node started by
 * {@code deploy/testbed/galera.sh} on four free ports (SQL, gcomm, IST, SST): node 1 bootstraps,
 * nodes 2 and 3 join in turn with rsync state transfer. Every node is Synced when the service is
 * ready. Root has no password on any node.
 *
 * <p>Shared by every test class in the JVM: a test that kills a node must {@link #restart} it.
 */
public final class Galera extends ManagedService {

    public static final int NODES = 3;
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(2);

    private final List<ServiceInstance> nodes = new ArrayList<>();
    /** Kept past start: a killed node is relaunched through it, so it is stopped with the others. */
    private Launcher launcher;

    public Galera() {
        super("galera", 4);
    }

    @Override
    protected synchronized void start(Launcher launcher) {
        this.launcher = launcher;
        for (int node = 1; node <= NODES; node++) {
            nodes.add(launchNode(node));
        }
    }

    private ServiceInstance launchNode(int node) {
        // Join through every other running member: any one of them lets the node in.
        var peers = nodes.stream().filter(n -> n != null && alive(n)).map(n -> "127.0.0.1:" + n.ports().get(1)).toList();
        String peerList = peers.isEmpty() ? "new" : String.join(",", peers);
        return launcher.launch(Launch.of("galera", 4).instance("galera-" + node)
                .arguments(ports -> List.of(String.valueOf(ports.get(0)), String.valueOf(ports.get(1)),
                        String.valueOf(ports.get(2)), String.valueOf(ports.get(3)), String.valueOf(node), peerList)));
    }

    /** Node 1..3 as last (re)started. */
    public synchronized ServiceInstance node(int node) {
        if (nodes.size() < node || node < 1) {
            throw new IllegalStateException(name() + " has no node " + node + "; obtain it through TestBed.get("
                    + getClass().getSimpleName() + ".class) or @WithServices");
        }
        return nodes.get(node - 1);
    }

    /** For MySQL Connector/J, no default database. */
    public String jdbcUrl(int node) {
        return "jdbc:mysql://" + node(node).address() + "/";
    }

    public String rootUser() {
        return "root";
    }

    /** The mariadbd process of a node, from its pid file. */
    public long pid(int node) {
        Path pidFile = node(node).dir().resolve("mariadbd.pid");
        try {
            return Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new TestBedException("cannot read the pid of galera node " + node + " from " + pidFile, e);
        }
    }

    /** SIGKILL to a node's server, as a crash would; the others notice after evs.suspect_timeout (5 s). */
    public void kill(int node) {
        long pid = pid(node);
        var process = ProcessHandle.of(pid).orElseThrow(() -> new TestBedException("galera node " + node
                + " (pid " + pid + ") is not running"));
        process.destroyForcibly(); // SIGKILL on Unix
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (running(pid)) {
            if (System.nanoTime() > deadline) {
                throw new TestBedException("galera node " + node + " (pid " + pid + ") survived SIGKILL for 30 s");
            }
            sleep(20);
        }
    }

    /** Starts a node again (on new ports), joining the running members; returns once it is Synced. */
    public synchronized ServiceInstance restart(int node) {
        var old = node(node);
        if (alive(old)) {
            throw new IllegalStateException("galera node " + node + " is still running at " + old.address());
        }
        nodes.set(node - 1, null);
        var started = launchNode(node);
        nodes.set(node - 1, started);
        return started;
    }

    /** Runs statements on a node as root; returns the batch output (tab-separated, no column names). */
    public String sql(int node, String statements) {
        var on = node(node);
        var result = Processes.run(List.of("mariadb", "--no-defaults", "--protocol=TCP", "-h" + on.host(),
                        "-P" + on.port(), "-uroot", "--connect-timeout=10", "--batch", "--skip-column-names",
                        "-e", statements),
                Map.of(), "", null, QUERY_TIMEOUT);
        if (!result.ok()) {
            throw new TestBedException("mariadb client on galera node " + node + " (" + on.address() + ") failed (exit "
                    + result.exitCode() + ") for: " + statements + "\n" + result.stderr().strip());
        }
        return result.stdout();
    }

    private static boolean alive(ServiceInstance instance) {
        try {
            return running(Long.parseLong(Files.readString(instance.dir().resolve("mariadbd.pid")).strip()));
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Exists and is not a zombie: a killed server whose parent has not reaped it yet is gone for the cluster. */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestBedException("interrupted while waiting for a galera node to die");
        }
    }
}
