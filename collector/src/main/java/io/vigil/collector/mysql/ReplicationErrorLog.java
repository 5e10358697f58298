package io.vigil.collector.mysql;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Logs a replication channel's last IO / SQL error text once per change. The text is free-form
 * (file names, positions, statements), so as a label value it would mint a new series at every
 * new error; metrics carry only the errno, and the log carries the words. One per target.
 */
final class ReplicationErrorLog {

    private static final Logger LOG = Logger.getLogger(ReplicationErrorLog.class);

    private record Key(String channel, String thread) {
    }

    private record Error(String errno, String text) {
    }

    private final String targetId;
    private final Map<Key, Error> last = new HashMap<>();

    ReplicationErrorLog(String targetId) {
        this.targetId = targetId;
    }

    /** Logs what changed since the previous scrape; returns those messages (for tests). */
    List<String> observe(List<ReplicaRow> rows) {
        var messages = new ArrayList<String>();
        // A channel that was removed (RESET SLAVE 'x' ALL) takes its errors with it, without a message.
        var channels = rows.stream().map(ReplicaRow::channel).collect(java.util.stream.Collectors.toSet());
        last.keySet().removeIf(key -> !channels.contains(key.channel()));
        for (ReplicaRow row : rows) {
            observe(row.channel(), "IO", row.get("Last_IO_Errno"), row.get("Last_IO_Error"), messages);
            observe(row.channel(), "SQL", row.get("Last_SQL_Errno"), row.get("Last_SQL_Error"), messages);
        }
        return messages;
    }

    private void observe(String channel, String thread, String errno, String text, List<String> messages) {
        boolean none = errno == null || errno.isBlank() || errno.strip().equals("0");
        Error now = none ? null : new Error(errno.strip(), text == null ? "" : text.strip());
        Error before = last.get(new Key(channel, thread));
        if (Objects.equals(now, before)) {
            return;
        }
        if (now == null) {
            last.remove(new Key(channel, thread));
            String message = "target %s replication channel %s: %s thread error %s cleared"
                    .formatted(targetId, channel, thread, before.errno());
            LOG.info(message);
            messages.add(message);
        } else {
            last.put(new Key(channel, thread), now);
            String message = "target %s replication channel %s: %s thread error %s: %s"
                    .formatted(targetId, channel, thread, now.errno(), now.text());
            LOG.warn(message);
            messages.add(message);
        }
    }
}
