package io.vigil.notifier.dispatch;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vigil.model.AlertEvent;

import java.io.IOException;

/**
 * Reads the events the rules role publishes on {@code vigil.alerts} (ISO times, lower-case states).
 * Fields added by a newer rules role are ignored rather than refused, so the two roles can be
 * upgraded one after the other.
 */
public final class AlertEventJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private AlertEventJson() {
    }

    /** @throws IllegalArgumentException saying what is wrong; the caller adds where the record came from */
    public static AlertEvent decode(byte[] json) {
        try {
            AlertEvent e = JSON.readValue(json, AlertEvent.class);
            if (e == null) {
                throw new IllegalArgumentException("not an alert event: null");
            }
            return e;
        } catch (IOException | RuntimeException ex) {
            throw new IllegalArgumentException("not an alert event: " + ex.getMessage(), ex);
        }
    }
}
