package io.vigil.testbed;

/** Starts instances for a {@link ManagedService}; each one is stopped with the service. */
@FunctionalInterface
public interface Launcher {

    /** Starts one instance on fresh free ports and waits until its script reports it READY. */
    ServiceInstance launch(Launch launch);
}
