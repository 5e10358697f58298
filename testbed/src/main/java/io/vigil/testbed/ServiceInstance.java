package io.vigil.testbed;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One running process tree started by a {@code deploy/testbed/<script>.sh start}.
 *
 * @param script     the script that manages it, e.g. {@code postgres}
 * @param dir        its private directory (data, config, logs)
 * @param host       from the script's READY line
 * @param port       from the script's READY line: the port clients use
 * @param ports      every port handed to the script, in the order of its arguments
 * @param attributes the READY line's {@code key=value} extras, e.g. {@code bindir} for PostgreSQL
 */
public record ServiceInstance(String script, Path dir, String host, int port, List<Integer> ports,
                              Map<String, String> attributes) {

    public ServiceInstance {
        ports = List.copyOf(ports);
        attributes = Map.copyOf(attributes);
    }

    public String address() {
        return host + ":" + port;
    }

    /** The log the scripts' own output goes to; the service's log path is named in it on failure. */
    public Path scriptLog() {
        return dir.resolve(ServiceScripts.SCRIPT_LOG);
    }
}
