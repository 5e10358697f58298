package io.vigil.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Drives the {@code deploy/testbed/*.sh} scripts: one directory per instance under the base directory,
 * named {@code <instance>-<jvm pid>} so that module test JVMs running side by side never share one.
 */
final class ServiceScripts {

    static final String SCRIPT_LOG = "testbed.log";
    /** The scripts' exit code for "a requested port is taken by something else". */
    static final int EXIT_PORT_IN_USE = 10;

    private static final String MARKER = ".testbed-script";
    private static final Pattern OWNED_DIR = Pattern.compile(".+-(\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5); // a first Kafka start downloads jars
    private static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    private static final int STDERR_LINES = 40;

    private final Settings settings;
    private final long jvmPid = ProcessHandle.current().pid();
    private boolean reaped;

    ServiceScripts(Settings settings) {
        this.settings = settings;
    }

    /** Starts on fresh ports, trying once more with new ones if another process grabbed a port meanwhile. */
    ServiceInstance start(Launch launch) {
        scriptFile(launch.script()); // fail before leaving a directory behind
        reapStaleDirsOnce();
        var dir = settings.baseDir().resolve(launch.instance() + "-" + jvmPid);
        prepareDir(dir, launch.script());
        try {
            return startOn(launch, dir, freePorts(launch.portCount()));
        } catch (ScriptFailedException e) {
            if (e.exitCode != EXIT_PORT_IN_USE) {
                throw e;
            }
            return startOn(launch, dir, freePorts(launch.portCount()));
        }
    }

    /** One attempt on the given ports. Throws {@link ScriptFailedException} when the script fails. */
    ServiceInstance startOn(Launch launch, Path dir, List<Integer> ports) {
        var args = new ArrayList<String>();
        args.add("start");
        args.add(dir.toString());
        args.addAll(launch.arguments().apply(ports));
        var result = run(launch.script(), dir, args, launch.config(), START_TIMEOUT);
        if (!result.ok()) {
            // Scripts stop what they half-started, but a timeout on our side leaves that to us.
            quietlyStop(launch.script(), dir);
            throw new ScriptFailedException(result.exitCode(), launch.instance() + " failed to start: "
                    + commandLine(launch.script(), args) + " exited with " + result.exitCode() + ".\n"
                    + indent(Processes.tail(result.stderr(), STDERR_LINES))
                    + "\n  (script output: " + dir.resolve(SCRIPT_LOG) + ")");
        }
        return parseReady(launch.script(), dir, ports, result.stdout());
    }

    void stop(ServiceInstance instance) {
        stop(instance.script(), instance.dir());
        if (!settings.keepData()) {
            deleteRecursively(instance.dir().resolve("data"));
        }
    }

    void stopKeepingData(ServiceInstance instance) {
        stop(instance.script(), instance.dir());
    }

    ServiceInstance startAgain(ServiceInstance instance, Launch launch) {
        return startOn(launch, instance.dir(), instance.ports());
    }

    private void stop(String script, Path dir) {
        var result = run(script, dir, List.of("stop", dir.toString()), "", STOP_TIMEOUT);
        if (!result.ok()) {
            throw new TestBedException("could not stop " + dir + ": " + commandLine(script, List.of("stop"))
                    + " exited with " + result.exitCode() + ".\n" + indent(Processes.tail(result.stderr(), STDERR_LINES)));
        }
    }

    private void quietlyStop(String script, Path dir) {
        try {
            stop(script, dir);
        } catch (RuntimeException ignored) {
            // Best effort after a failure that is already being reported.
        }
    }

    private Processes.Result run(String script, Path dir, List<String> args, String stdin, Duration timeout) {
        var file = scriptFile(script);
        var command = new ArrayList<String>();
        command.add("bash");
        command.add(file.toString());
        command.addAll(args);
        var log = dir.resolve(SCRIPT_LOG);
        appendLine(log, "=== " + Instant.now() + " " + String.join(" ", args));
        long began = System.nanoTime();
        var result = Processes.run(command, environment(), stdin, log, timeout);
        if (!result.stdout().isEmpty()) {
            appendLine(log, result.stdout().stripTrailing());
        }
        appendLine(log, "=== exit %d after %.2f s".formatted(result.exitCode(), (System.nanoTime() - began) / 1e9));
        return result;
    }

    private Path scriptFile(String script) {
        var file = settings.scriptsDir().resolve(script + ".sh");
        if (!Files.isRegularFile(file)) {
            throw new ScriptFailedException(-1, "no such service script: " + file);
        }
        return file;
    }

    private static Map<String, String> environment() {
        var env = new HashMap<String, String>();
        // Kafka needs Java 17+; this JVM qualifies, whatever java happens to be first on the PATH.
        if (System.getenv("JAVA") == null) {
            env.put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
        return env;
    }

    private static ServiceInstance parseReady(String script, Path dir, List<Integer> ports, String stdout) {
        var ready = stdout.lines().filter(line -> line.startsWith("READY ")).reduce((first, second) -> second)
                .orElseThrow(() -> new TestBedException(script + ".sh start succeeded but printed no READY line; "
                        + "stdout was: " + stdout.strip()));
        // READY <service> <host>:<port> [key=value...]
        var fields = ready.trim().split("\\s+");
        var address = fields.length >= 3 ? fields[2] : "";
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new TestBedException("malformed READY line from " + script + ".sh: " + ready);
        }
        var attributes = new HashMap<String, String>();
        for (int i = 3; i < fields.length; i++) {
            int eq = fields[i].indexOf('=');
            if (eq > 0) {
                attributes.put(fields[i].substring(0, eq), fields[i].substring(eq + 1));
            }
        }
        return new ServiceInstance(script, dir, address.substring(0, colon),
                Integer.parseInt(address.substring(colon + 1)), ports, attributes);
    }

    /** Ports the OS considers free now; all held open together so that they differ from each other. */
    static List<Integer> freePorts(int count) {
        var sockets = new ArrayList<ServerSocket>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        } finally {
            for (var socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket that never accepted anything
                }
            }
        }
    }

    private void prepareDir(Path dir, String script) {
        try {
            // 0755 whatever the umask: as root, the scripts hand the instance directory to postgres or mysql,
            // who must be able to reach it through its parents.
            var perms = PosixFilePermissions.fromString("rwxr-xr-x");
            if (!Files.isDirectory(settings.baseDir())) {
                Files.createDirectories(settings.baseDir());
                Files.setPosixFilePermissions(settings.baseDir(), perms);
            }
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, perms);
            Files.writeString(dir.resolve(MARKER), script + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the service directory " + dir, e);
        }
    }

    /**
     * A test JVM that was killed (SIGKILL, surefire timeout) never ran its shutdown hook: stop whatever
     * its instances left running, so servers do not pile up across runs, and drop their directories.
     */
    private synchronized void reapStaleDirsOnce() {
        if (reaped) {
            return;
        }
        reaped = true;
        if (!Files.isDirectory(settings.baseDir())) {
            return;
        }
        try (var dirs = Files.list(settings.baseDir())) {
            for (var dir : dirs.toList()) {
                var owner = OWNED_DIR.matcher(dir.getFileName().toString());
                var marker = dir.resolve(MARKER);
                if (!owner.matches() || !Files.isRegularFile(marker)) {
                    continue;
                }
                long pid = Long.parseLong(owner.group(1));
                if (pid == jvmPid || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                try {
                    stop(Files.readString(marker).strip(), dir);
                    deleteRecursively(dir);
                } catch (RuntimeException e) {
                    System.err.println("[testbed] could not clean up stale " + dir + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            System.err.println("[testbed] could not scan " + settings.baseDir() + " for stale services: " + e);
        }
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static String commandLine(String script, List<String> args) {
        return "deploy/testbed/" + script + ".sh " + String.join(" ", args);
    }

    private static String indent(String text) {
        return text.lines().map(line -> "  " + line).reduce((a, b) -> a + "\n" + b).orElse("  (no output)");
    }

    /** A script exited non-zero; {@link #EXIT_PORT_IN_USE} means another port may work. */
    static final class ScriptFailedException extends TestBedException {

        final int exitCode;

        ScriptFailedException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }
}
