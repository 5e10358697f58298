package io.vigil.testbed;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts each {@link ManagedService} at most once per JVM, on first request, and stops them all when the
 * JVM exits. Use it through {@link WithServices} in JUnit tests, or call {@link #get(Class)} from anywhere
 * (a Quarkus test resource, a benchmark).
 *
 * <p>A service that failed to start is not retried: every later request fails at once with the original
 * message, so one broken service costs its start timeout once, not once per test class.
 */
public final class TestBed implements BeforeAllCallback, ParameterResolver {

    private static final Map<Class<?>, CompletableFuture<ManagedService>> SERVICES = new ConcurrentHashMap<>();
    private static final ExecutorService STARTER =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("testbed-start-", 0).factory());
    private static final long STOP_ALL_TIMEOUT_SECONDS = 120;

    private static volatile ServiceScripts scripts;

    /** The running service of this type, started now if it is not yet; thread-safe. */
    public static <T extends ManagedService> T get(Class<T> type) {
        try {
            return type.cast(startAsync(type).join());
        } catch (CompletionException e) {
            throw rethrown(type, e.getCause());
        }
    }

    /** Starts the services in parallel and waits for all; fails with every failure's message. */
    public static void startAll(List<Class<? extends ManagedService>> types) {
        var futures = types.stream().map(TestBed::startAsync).toList();
        var failures = new ArrayList<Throwable>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                futures.get(i).join();
            } catch (CompletionException e) {
                failures.add(rethrown(types.get(i), e.getCause()));
            }
        }
        if (failures.size() == 1 && failures.getFirst() instanceof RuntimeException single) {
            throw single;
        }
        if (!failures.isEmpty()) {
            var message = new StringBuilder(failures.size() + " test-bed services failed to start:");
            failures.forEach(f -> message.append("\n- ").append(f.getMessage()));
            var error = new TestBedException(message.toString());
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private static CompletableFuture<ManagedService> startAsync(Class<? extends ManagedService> type) {
        return SERVICES.computeIfAbsent(type, t -> CompletableFuture.supplyAsync(() -> startNow(type), STARTER));
    }

    private static ManagedService startNow(Class<? extends ManagedService> type) {
        var service = instantiate(type);
        var scripts = scripts();
        long began = System.nanoTime();
        try {
            service.startWith(scripts);
        } catch (RuntimeException e) {
            // A multi-instance service may have started some instances before failing.
            try {
                service.stopWith(scripts);
            } catch (RuntimeException stopFailure) {
                e.addSuppressed(stopFailure);
            }
            throw e;
        }
        System.err.printf("[testbed] %s ready in %.1f s%n", service, (System.nanoTime() - began) / 1e9);
        return service;
    }

    private static ManagedService instantiate(Class<? extends ManagedService> type) {
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new TestBedException(type.getName() + " is abstract; ask for a concrete service");
        }
        try {
            var constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return constructor.newInstance();
        } catch (ReflectiveOperationException e) {
            throw new TestBedException(type.getName() + " needs an accessible no-argument constructor", e);
        }
    }

    private static ServiceScripts scripts() {
        var current = scripts;
        if (current == null) {
            synchronized (TestBed.class) {
                current = scripts;
                if (current == null) {
                    current = new ServiceScripts(Settings.fromSystemProperties());
                    Runtime.getRuntime().addShutdownHook(new Thread(TestBed::stopAll, "testbed-stop"));
                    scripts = current;
                }
            }
        }
        return current;
    }

    /** Stops every started service, all at once: they are independent and each takes a second or two. */
    private static void stopAll() {
        var stops = new ArrayList<CompletableFuture<Void>>();
        for (var entry : SERVICES.entrySet()) {
            var future = entry.getValue();
            if (future.isDone() && !future.isCompletedExceptionally()) {
                var service = future.join();
                stops.add(CompletableFuture.runAsync(() -> {
                    try {
                        service.stopWith(scripts);
                    } catch (RuntimeException e) {
                        System.err.println("[testbed] " + e.getMessage());
                    }
                }, STARTER));
            }
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
                    .get(STOP_ALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            System.err.println("[testbed] services did not all stop: " + e);
        }
    }

    private static TestBedException rethrown(Class<?> type, Throwable cause) {
        // A new exception per request, so that each failing test class gets its own stack trace while
        // the message stays the original one.
        return new TestBedException(cause.getMessage() == null ? type.getSimpleName() + " failed to start: " + cause
                : cause.getMessage(), cause);
    }

    // ---- JUnit extension ----

    @Override
    public void beforeAll(ExtensionContext context) {
        var types = new LinkedHashSet<Class<? extends ManagedService>>();
        // Nested test classes inherit the needs of the classes around them.
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            AnnotationSupport.findAnnotation(c, WithServices.class).ifPresent(a -> types.addAll(List.of(a.value())));
        }
        startAll(List.copyOf(types));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        var type = parameter.getParameter().getType();
        return ManagedService.class.isAssignableFrom(type) && !Modifier.isAbstract(type.getModifiers());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return get(parameter.getParameter().getType().asSubclass(ManagedService.class));
    }
}
