package io.vigil.testbed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real server started through one of the {@code deploy/testbed/*.sh} scripts, in its own directory
 * under the build folder, on free ports. Obtain instances from {@link TestBed}, never with {@code new}.
 *
 * <p>A new service is one small subclass with a public no-argument constructor: name its script and
 * how many ports it needs, adjust {@link #startArguments} or {@link #configuration} if its script wants
 * more than ports, and add accessors. A service made of several processes (a replica pair, a Galera
 * cluster) overrides {@link #start(Launcher)} and launches each of them; all are stopped together.
 */
public abstract class ManagedService {

    private final String script;
    private final int portCount;
    private final List<ServiceInstance> instances = new CopyOnWriteArrayList<>();
    private volatile ServiceScripts scripts;

    /**
     * @param script    the script's name without {@code .sh}, e.g. {@code postgres}
     * @param portCount how many free ports its {@code start} takes
     */
    protected ManagedService(String script, int portCount) {
        this.script = script;
        this.portCount = portCount;
    }

    /** Starts the service's processes. By default: one instance of the script, named after it. */
    protected void start(Launcher launcher) {
        launcher.launch(Launch.of(script, portCount).arguments(this::startArguments).config(configuration()));
    }

    /** The script's arguments after {@code start DIR}; by default the ports themselves. */
    protected List<String> startArguments(List<Integer> ports) {
        return ports.stream().map(String::valueOf).toList();
    }

    /** Extra config-file lines for scripts that read them from stdin; none by default. */
    protected String configuration() {
        return "";
    }

    /** Short name used in messages, e.g. {@code postgres}. */
    public String name() {
        return script;
    }

    /** Every instance started, in start order. */
    public final List<ServiceInstance> instances() {
        return List.copyOf(instances);
    }

    /** The first instance: the only one for single-process services. */
    public final ServiceInstance instance() {
        if (instances.isEmpty()) {
            throw new IllegalStateException(name() + " is not started; obtain it through TestBed.get("
                    + getClass().getSimpleName() + ".class) or @WithServices");
        }
        return instances.getFirst();
    }

    public String host() {
        return instance().host();
    }

    public int port() {
        return instance().port();
    }

    /** The instance directory: data, config and the service's own logs. */
    public Path dir() {
        return instance().dir();
    }

    /**
     * Stops one instance and keeps its directory and data, for a test that takes the service away; bring it
     * back with {@link #startAgain}. Other test classes share the service: restart it in a {@code finally}.
     */
    protected final void stopKeepingData(ServiceInstance instance) {
        started().stopKeepingData(instance);
    }

    /** Starts a stopped instance again in its directory and on its ports, so its clients keep their address. */
    protected final ServiceInstance startAgain(ServiceInstance instance, Launch launch) {
        var started = started().startAgain(instance, launch);
        instances.replaceAll(i -> i.dir().equals(instance.dir()) ? started : i);
        return started;
    }

    private ServiceScripts started() {
        if (scripts == null) {
            throw new IllegalStateException(name() + " is not started");
        }
        return scripts;
    }

    final void startWith(ServiceScripts scripts) {
        this.scripts = scripts;
        start(launch -> {
            var started = scripts.start(launch);
            instances.add(started);
            return started;
        });
    }

    /** Stops every instance, newest first (a replica before its primary); reports all failures at once. */
    final void stopWith(ServiceScripts scripts) {
        var failures = new ArrayList<RuntimeException>();
        for (var instance : instances.reversed()) {
            try {
                scripts.stop(instance);
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        instances.clear();
        if (!failures.isEmpty()) {
            var error = new TestBedException("could not stop " + name() + ": " + failures.getFirst().getMessage());
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
    }

    @Override
    public String toString() {
        return instances.isEmpty() ? name() + " (not started)" : name() + " at " + instance().address() + " in " + dir();
    }
}
