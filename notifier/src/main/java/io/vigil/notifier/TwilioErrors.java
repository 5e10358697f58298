package io.vigil.notifier;

import com.twilio.exception.ApiConnectionException;
import com.twilio.exception.ApiException;
import io.vigil.model.Secret;

/**
 * Turns Twilio SDK failures into {@link DeliveryException}s. The SDK's messages are copied, never its
 * exception: the cause is dropped so that nothing the SDK put in it (a URL, a header) can reach a log,
 * and the token is masked should a provider message ever echo it.
 */
final class TwilioErrors {

    private TwilioErrors() {
    }

    static DeliveryException map(Notification n, RuntimeException e, Secret token) {
        if (e instanceof ApiException api && api.getStatusCode() != null) {
            int status = api.getStatusCode();
            boolean retryable = status == 429 || status >= 500;
            String what = "Twilio answered HTTP " + status + (api.getCode() != null ? " code " + api.getCode() : "")
                    + ": " + mask(api.getMessage(), token);
            return new DeliveryException(n.context() + ": " + what, retryable, null);
        }
        if (e instanceof ApiConnectionException) {
            return DeliveryException.retryable(n, "cannot reach Twilio: " + mask(e.getMessage(), token), null);
        }
        // ApiException without a status is the SDK's own I/O failure wrapper; anything else is unexpected.
        boolean io = e instanceof ApiException;
        return new DeliveryException(n.context() + ": Twilio call failed (" + e.getClass().getSimpleName() + "): "
                + mask(e.getMessage(), token), io, null);
    }

    static String mask(String text, Secret token) {
        if (text == null) {
            return "";
        }
        return token.isEmpty() ? text : text.replace(token.reveal(), "******");
    }
}
