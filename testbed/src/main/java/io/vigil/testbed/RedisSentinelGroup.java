package io.vigil.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A Redis master, one replica of it and a Sentinel monitoring them as {@value #MASTER_NAME}
 * (testbed.md section 3), started by {@code deploy/testbed/redis.sh} and {@code sentinel.sh}: no
 * persistence, diskless sync without delay, quorum 1, down-after 1 s, failover timeout 5 s. Both
 * servers require {@link #password()}; the sentinel itself has none. Ready once the replica's link
 * is up and the sentinel knows the replica (it fails over only to replicas it has discovered).
 *
 * <p>Shared by every test class in the JVM, and a failover cannot be undone cheaply: a test that
 * kills the master leaves the group failed over ({@link #master()} still names the old one).
 */
public final class RedisSentinelGroup extends ManagedService {

    public static final String MASTER_NAME = "mymaster";
    private static final String PASSWORD = "Redis-testbed-pw";
    private static final String AUTH = "requirepass " + PASSWORD + "\nmasterauth " + PASSWORD + "\n";

    private ServiceInstance master;
    private ServiceInstance replica;
    private ServiceInstance sentinel;

    public RedisSentinelGroup() {
        super("redis", 1);
    }

    @Override
    public String name() {
        return "redis-sentinel-group";
    }

    @Override
    protected void start(Launcher launcher) {
        master = launcher.launch(Launch.of("redis", 1).instance("redis-master").config(AUTH));
        int masterPort = master.port();
        replica = launcher.launch(Launch.of("redis", 1).instance("redis-replica").config(AUTH)
                .arguments(ports -> List.of(String.valueOf(ports.getFirst()), String.valueOf(masterPort))));
        sentinel = launcher.launch(Launch.of("sentinel", 1).instance("redis-sentinel")
                .config("sentinel auth-pass " + MASTER_NAME + " " + PASSWORD + "\n")
                .arguments(ports -> List.of(String.valueOf(ports.getFirst()), String.valueOf(masterPort))));
    }

    /** The master as started; after a failover it is the old one. */
    public ServiceInstance master() {
        return started(master);
    }

    public ServiceInstance replica() {
        return started(replica);
    }

    public ServiceInstance sentinel() {
        return started(sentinel);
    }

    /** The password of both servers (requirepass and masterauth). */
    public String password() {
        return PASSWORD;
    }

    /** SIGKILL to a server, as a crash would. */
    public void kill(ServiceInstance server) {
        Path pidFile = server.dir().resolve(server.script() + ".pid");
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).strip());
        } catch (IOException | NumberFormatException e) {
            throw new TestBedException("cannot read the pid of " + server.address() + " from " + pidFile, e);
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(Path.of("/proc", Long.toString(pid))) && !zombie(pid)) {
            if (System.nanoTime() > deadline) {
                throw new TestBedException(server.address() + " (pid " + pid + ") survived SIGKILL for 30 s");
            }
            sleepMillis(20);
        }
    }

    /** Runs a redis-cli command on a server or the sentinel; returns its raw output. */
    public String cli(ServiceInstance on, String... command) {
        var args = new java.util.ArrayList<>(List.of("redis-cli", "--no-auth-warning", "-h", on.host(), "-p",
                String.valueOf(on.port())));
        args.addAll(List.of(command));
        // The password travels in the environment, not on a command line that ps shows.
        var env = on == sentinel ? Map.<String, String>of() : Map.of("REDISCLI_AUTH", PASSWORD);
        var result = Processes.run(args, env, "", null, Duration.ofSeconds(30));
        if (!result.ok()) {
            throw new TestBedException("redis-cli on " + on.address() + " failed (exit " + result.exitCode() + ") for: "
                    + String.join(" ", command) + "\n" + result.stderr().strip());
        }
        return result.stdout();
    }

    private ServiceInstance started(ServiceInstance instance) {
        if (instance == null) {
            throw new IllegalStateException(name() + " is not started; obtain it through TestBed.get("
                    + getClass().getSimpleName() + ".class) or @WithServices");
        }
        return instance;
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestBedException("interrupted while waiting for a Redis server to die");
        }
    }
}
