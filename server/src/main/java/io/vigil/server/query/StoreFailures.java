package io.vigil.server.query;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Locale;

/**
 * Tells "the store cannot be reached" (answered 503 {@code unavailable}, worth retrying) from any
 * other store failure (422 {@code execution}) by the exception's causes, as the store reports both
 * through the same exception type.
 */
final class StoreFailures {

    private StoreFailures() {
    }

    static boolean isUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return true;
            }
            if (t instanceof SQLException sql && isUnavailable(sql)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnavailable(SQLException e) {
        String state = e.getSQLState();
        if (state != null) {
            // 08: connection exception; 57P01-03: server shutting down or starting; 53300: too many connections.
            if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")
                    || state.equals("53300")) {
                return true;
            }
        }
        // Agroal reports an exhausted or unreachable pool only through this message.
        String message = e.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("acquisition timeout");
    }
}
