package io.vigil.testbed;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * How to start one instance: {@code deploy/testbed/<script>.sh start DIR <arguments(ports)>}, with
 * {@code config} on the script's stdin (extra config-file lines, for the scripts that accept them).
 *
 * @param instance  names the instance's directory; distinct per instance when a service starts several
 * @param portCount how many free ports to find and hand to {@code arguments}
 */
public record Launch(String script, String instance, int portCount,
                     Function<List<Integer>, List<String>> arguments, String config) {

    public Launch {
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(arguments, "arguments");
        config = config == null ? "" : config;
        if (!instance.matches("[A-Za-z0-9_.]+(-[A-Za-z0-9_.]+)*")) {
            throw new IllegalArgumentException("instance name must be a plain directory name: " + instance);
        }
        if (portCount < 0) {
            throw new IllegalArgumentException("portCount must be >= 0: " + portCount);
        }
    }

    /** One instance named after the script, whose arguments are the ports themselves. */
    public static Launch of(String script, int portCount) {
        return new Launch(script, script, portCount, ports -> ports.stream().map(String::valueOf).toList(), "");
    }

    public Launch instance(String name) {
        return new Launch(script, name, portCount, arguments, config);
    }

    public Launch arguments(Function<List<Integer>, List<String>> fromPorts) {
        return new Launch(script, instance, portCount, fromPorts, config);
    }

    public Launch config(String lines) {
        return new Launch(script, instance, portCount, arguments, lines);
    }
}
