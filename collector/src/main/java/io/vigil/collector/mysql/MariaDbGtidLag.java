package io.vigil.collector.mysql;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How many transactions a MariaDB replica has received but not applied, from GTID positions
 * ({@code domain-server-seqno}, comma-separated, one per replication domain).
 *
 * <p>Definition: the sum, over the domains of the channel's {@code Gtid_IO_Pos}, of
 * {@code io seqno - gtid_slave_pos seqno}, counting only domains whose entry in
 * {@code gtid_slave_pos} has the same server id (seqnos are only comparable within one origin
 * server; after a failover the new primary's entries count once the replica applied one of them).
 * Nothing when a position does not parse or no domain matches.
 */
final class MariaDbGtidLag {

    private record Gtid(long server, long seqno) {
    }

    private MariaDbGtidLag() {
    }

    static OptionalLong behind(String ioPos, String slavePos) {
        Map<Long, Gtid> received = parse(ioPos);
        Map<Long, Gtid> applied = parse(slavePos);
        if (received == null || applied == null) {
            return OptionalLong.empty();
        }
        long behind = 0;
        boolean matched = false;
        for (var e : received.entrySet()) {
            Gtid a = applied.get(e.getKey());
            if (a != null && a.server() == e.getValue().server()) {
                matched = true;
                behind += Math.max(0, e.getValue().seqno() - a.seqno());
            }
        }
        return matched ? OptionalLong.of(behind) : OptionalLong.empty();
    }

    /** Domain to position; null when the text is not a GTID position list. */
    private static Map<Long, Gtid> parse(String pos) {
        if (pos == null || pos.isBlank()) {
            return null;
        }
        var byDomain = new HashMap<Long, Gtid>();
        for (String part : pos.split(",")) {
            String[] f = part.strip().split("-");
            if (f.length != 3) {
                return null;
            }
            try {
                byDomain.put(Long.parseLong(f[0]), new Gtid(Long.parseLong(f[1]), Long.parseLong(f[2])));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return byDomain;
    }
}
