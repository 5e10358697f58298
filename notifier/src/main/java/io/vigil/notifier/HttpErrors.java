package io.vigil.notifier;

import java.io.IOException;
import java.net.http.HttpTimeoutException;

/** Classification shared by the HTTP channels: 429 and 5xx may pass later, other 4xx will not. */
final class HttpErrors {

    private HttpErrors() {
    }

    static boolean retryableStatus(int status) {
        return status == 408 || status == 429 || status >= 500;
    }

    /** I/O failures are retryable; the message names the target without query string (it may hold a key). */
    static DeliveryException io(Notification n, String target, IOException e) {
        String what = e instanceof HttpTimeoutException ? "timed out" : e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return DeliveryException.retryable(n, "POST " + target + " failed: " + what, null);
    }

    static String abbreviate(String body) {
        String b = body == null ? "" : body.strip();
        return b.length() <= 200 ? b : b.substring(0, 200) + "…";
    }
}
