package io.vigil.collector.redis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The reply of {@code INFO}: {@code name:value} lines under {@code # Section} headers. Names are
 * unique across sections, so the sections are flattened. Works for Redis 5 to 7 alike.
 */
record RedisInfo(Map<String, String> fields) {

    /** One replica as its master lists it ({@code slaveN:ip=…,port=…,state=…,offset=…,lag=…}). */
    record Replica(String address, OptionalDouble offset) {
    }

    RedisInfo {
        fields = Map.copyOf(fields);
    }

    static RedisInfo parse(String text) {
        var fields = new HashMap<String, String>();
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
            }
        }
        return new RedisInfo(fields);
    }

    String text(String name) {
        return fields.get(name);
    }

    /** Empty when absent or not a number: an unknown value must not become 0. */
    OptionalDouble number(String name) {
        return parseNumber(fields.get(name));
    }

    boolean isMaster() {
        return "master".equals(fields.get("role"));
    }

    /** {@code dbN} to its key count, from the Keyspace section; a database without keys is not listed. */
    Map<String, Double> keyspace() {
        var dbs = new TreeMap<String, Double>();
        fields.forEach((name, value) -> {
            if (name.matches("db\\d+")) {
                parseNumber(subfields(value).get("keys")).ifPresent(keys -> dbs.put(name, keys));
            }
        });
        return dbs;
    }

    /** The replicas a master lists, in its order. */
    List<Replica> replicas() {
        var replicas = new ArrayList<Replica>();
        for (int i = 0; fields.containsKey("slave" + i); i++) {
            var sub = subfields(fields.get("slave" + i));
            String ip = sub.get("ip");
            String port = sub.get("port");
            if (ip != null && port != null) {
                String host = ip.contains(":") ? "[" + ip + "]" : ip; // IPv6
                replicas.add(new Replica(host + ":" + port, parseNumber(sub.get("offset"))));
            }
        }
        return replicas;
    }

    /** {@code a=1,b=2} as Redis packs several values into one field. */
    private static Map<String, String> subfields(String value) {
        var out = new HashMap<String, String>();
        for (String pair : value.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    /** Empty for absent, blank or non-numeric text. */
    static OptionalDouble parseNumber(String raw) {
        if (raw == null || raw.isBlank()) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(raw.strip()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
