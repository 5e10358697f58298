package io.vigil.notifier;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Receivers by name. The outbox stores only the name and resolves it at send time, so addresses and
 * robot keys never land in the database, and a corrected phone number applies to pending retries.
 */
@FunctionalInterface
public interface Receivers {

    Optional<Receiver> find(String name);

    static Receivers of(Receiver... receivers) {
        Map<String, Receiver> byName = Stream.of(receivers).collect(Collectors.toUnmodifiableMap(Receiver::name, Function.identity()));
        return name -> Optional.ofNullable(byName.get(name));
    }
}
