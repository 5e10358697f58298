package io.vigil.bench;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.vigil.model.Labels;
import io.vigil.model.SampleBatch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON baseline: the same {@link SampleBatch} through a plain Jackson {@link ObjectMapper}, the
 * way one would put it on Kafka without a custom codec. The records map field by field
 * ({@code targetId}, {@code timestampMillis}, {@code labels}, {@code samples[{metric, labels, value}]});
 * {@link Labels} is a JSON object, left out of a sample when empty (so JSON is not charged for
 * {@code "labels":{}} on every plain gauge). Reader and writer are built once, as a producer would.
 */
public final class JsonSampleBatch {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
            .registerModule(new SimpleModule("vigil-labels")
                    .addSerializer(Labels.class, new LabelsSerializer())
                    .addDeserializer(Labels.class, new LabelsDeserializer()));
    private static final ObjectWriter WRITER = MAPPER.writerFor(SampleBatch.class);
    private static final ObjectReader READER = MAPPER.readerFor(SampleBatch.class);

    private JsonSampleBatch() {
    }

    public static byte[] encode(SampleBatch batch) {
        try {
            return WRITER.writeValueAsBytes(batch);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SampleBatch decode(byte[] json) {
        try {
            return READER.readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class LabelsSerializer extends StdSerializer<Labels> {
        LabelsSerializer() {
            super(Labels.class);
        }

        @Override
        public boolean isEmpty(SerializerProvider provider, Labels value) {
            return value.isEmpty();
        }

        @Override
        public void serialize(Labels labels, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            for (Map.Entry<String, String> e : labels.asMap().entrySet()) {
                gen.writeStringField(e.getKey(), e.getValue());
            }
            gen.writeEndObject();
        }
    }

    private static final class LabelsDeserializer extends StdDeserializer<Labels> {
        LabelsDeserializer() {
            super(Labels.class);
        }

        @Override
        public Labels deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.isExpectedStartObjectToken()) {
                return (Labels) ctxt.handleUnexpectedToken(Labels.class, p);
            }
            var map = new TreeMap<String, String>();
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    return (Labels) ctxt.handleUnexpectedToken(String.class, p);
                }
                map.put(name, p.getText());
            }
            return map.isEmpty() ? Labels.EMPTY : Labels.of(map);
        }

        /** A sample without a {@code labels} field has none. */
        @Override
        public Labels getNullValue(DeserializationContext ctxt) {
            return Labels.EMPTY;
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return Labels.EMPTY;
        }
    }
}
