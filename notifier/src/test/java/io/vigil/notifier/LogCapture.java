package io.vigil.notifier;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Captures everything logged at any level (the Twilio SDK's and its HTTP client's debug logging
 * included) while open. Tests run with the JBoss LogManager as the JUL manager, as Quarkus does, so JBoss Logging,
 * SLF4J and JUL all end up at the root logger's handlers.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final Logger root = Logger.getLogger("");
    private final Level rootLevel;
    private final Logger postgres = Logger.getLogger("org.postgresql");
    private final Logger twilio = Logger.getLogger("com.twilio");
    private final Logger vigil = Logger.getLogger("io.vigil");

    LogCapture() {
        setLevel(Level.ALL);
        // Worst case: everything at debug, as when someone turns on root DEBUG to chase a problem.
        rootLevel = root.getLevel();
        root.setLevel(Level.ALL);
        postgres.setLevel(Level.INFO); // noise only: the JDBC driver's protocol trace
        twilio.setLevel(Level.ALL);
        vigil.setLevel(Level.ALL);
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        var sb = new StringBuilder(record.getLoggerName()).append(' ').append(record.getLevel()).append(' ')
                .append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : formatter.formatMessage(record));
        if (record.getThrown() != null) {
            var sw = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(sw));
            sb.append('\n').append(sw);
        }
        lines.add(sb.toString());
    }

    String text() {
        return String.join("\n", lines);
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        root.setLevel(rootLevel);
        postgres.setLevel(null);
        twilio.setLevel(null);
        vigil.setLevel(null);
    }
}
