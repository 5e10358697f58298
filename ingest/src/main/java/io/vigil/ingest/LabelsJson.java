package io.vigil.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Labels;

import java.util.Map;
import java.util.TreeMap;

/** Labels as the JSON object stored in {@code series.labels}. */
final class LabelsJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> MAP = new TypeReference<>() {
    };

    private LabelsJson() {
    }

    static String write(Labels labels) {
        try {
            return MAPPER.writeValueAsString(labels.asMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise labels " + labels, e); // a map of strings always serialises
        }
    }

    static Map<String, String> readMap(String json) {
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("series.labels is not a JSON object of strings: " + json, e);
        }
    }

    static Labels read(String json) {
        return Labels.of(readMap(json));
    }
}
