package io.vigil.logs.wire;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The JSON of a {@link LogBatch} on {@code vigil.logs}: ISO times, unknown fields ignored (newer shippers). Slow
 * queries, nearly all of a batch, are written and read by {@link ShippedSlowQueryJson}, the same JSON faster.
 */
public final class LogBatchJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addModule(ShippedSlowQueryJson.module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS, true)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private LogBatchJson() {
    }

    public static byte[] encode(LogBatch batch) {
        try {
            return JSON.writeValueAsBytes(batch);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode the log batch of " + batch.source().key(), e);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong; the caller adds where the record came from */
    public static LogBatch decode(byte[] json) {
        try {
            LogBatch batch = JSON.readValue(json, LogBatch.class);
            if (batch == null) {
                throw new IllegalArgumentException("not a log batch: null");
            }
            return batch;
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a log batch: " + e.getMessage(), e);
        }
    }
}
