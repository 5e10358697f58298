package io.vigil.collector.mysql;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Reads the text values servers return (status, variables, replication columns) as numbers. */
final class ServerValues {

    private ServerValues() {
    }

    /** Empty for SQL NULL, blank or non-numeric text: an unknown value must not become 0. */
    static OptionalDouble number(String raw) {
        if (raw == null || raw.isBlank()) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(raw.strip()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    static OptionalDouble number(Map<String, String> values, String name) {
        return number(values.get(name));
    }

    /** ON/OFF, Yes/No or 1/0, as servers spell booleans. */
    static OptionalDouble flag(String raw) {
        if (raw == null) {
            return OptionalDouble.empty();
        }
        return switch (raw.strip().toUpperCase(Locale.ROOT)) {
            case "ON", "YES", "1", "TRUE" -> OptionalDouble.of(1);
            case "OFF", "NO", "0", "FALSE" -> OptionalDouble.of(0);
            default -> OptionalDouble.empty();
        };
    }
}
