package io.vigil.server.query;

import io.vigil.promql.InstantSample;
import io.vigil.promql.QueryResult;
import io.vigil.promql.RangeSeries;
import io.vigil.promql.PromFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.vigil.model.Labels;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Response bodies in the Prometheus HTTP API format. A private {@link ObjectMapper} is used so that
 * the application's Jackson settings cannot change a format clients parse strictly; timestamps and
 * values go through {@link PromFormat}.
 */
public final class PrometheusResponses {

    /** Reported as the Prometheus version: the API level Vigil's query endpoints follow. */
    public static final String PROMETHEUS_VERSION = "2.42.0";

    @JsonPropertyOrder({"status", "data"})
    public record Success(String status, Object data) {
    }

    @JsonPropertyOrder({"status", "errorType", "error"})
    public record Failure(String status, String errorType, String error) {
    }

    @JsonPropertyOrder({"resultType", "result"})
    public record QueryData(String resultType, Object result) {
    }

    /** A scalar result, written as {@code [t, "v"]}. */
    public record ScalarPoint(long timestampMillis, double value) {
    }

    /** Prometheus' {@code PrometheusVersion} fields, plus Vigil's own version. */
    @JsonPropertyOrder({"version", "revision", "branch", "buildUser", "buildDate", "goVersion", "vigilVersion"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate,
                            String goVersion, String vigilVersion) {
    }

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .registerModule(new SimpleModule("prometheus-api")
                    .addSerializer(InstantSample.class, new InstantSampleSerializer())
                    .addSerializer(RangeSeries.class, new RangeSeriesSerializer())
                    .addSerializer(ScalarPoint.class, new ScalarPointSerializer()));

    private PrometheusResponses() {
    }

    public static Success vector(List<InstantSample> samples) {
        return new Success("success", new QueryData("vector", samples));
    }

    /** An instant query's answer in its result type: {@code scalar} is {@code [t, "v"]} itself. */
    public static Success result(QueryResult result) {
        return switch (result) {
            case QueryResult.ScalarResult s -> new Success("success", new QueryData("scalar", new ScalarPoint(s.timestampMillis(), s.value())));
            case QueryResult.VectorResult v -> vector(v.samples());
            case QueryResult.MatrixResult m -> matrix(m.series());
        };
    }

    public static Success matrix(List<RangeSeries> series) {
        return new Success("success", new QueryData("matrix", series));
    }

    /** {@code {"status":"success","data":…}} for the listing endpoints (series, labels, values, metadata). */
    public static Success data(Object data) {
        return new Success("success", data);
    }

    public static Failure error(ErrorType type, String message) {
        return new Failure("error", type.wireName(), message);
    }

    public static Success buildInfo(String vigilVersion) {
        return new Success("success", new BuildInfo(PROMETHEUS_VERSION, "", "", "", "", "", vigilVersion));
    }

    public static void write(Object body, OutputStream out) throws IOException {
        MAPPER.writeValue(out, body);
    }

    public static String toJson(Object body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeMetric(Labels labels, JsonGenerator gen) throws IOException {
        gen.writeObjectFieldStart("metric");
        for (Map.Entry<String, String> label : labels.asMap().entrySet()) {
            gen.writeStringField(label.getKey(), label.getValue());
        }
        gen.writeEndObject();
    }

    private static void writePoint(long millis, double value, JsonGenerator gen) throws IOException {
        gen.writeStartArray();
        gen.writeNumber(PromFormat.timestamp(millis)); // raw number text, exactly as formatted
        gen.writeString(PromFormat.value(value));
        gen.writeEndArray();
    }

    /** {@code {"metric":{…},"value":[t,"v"]}} */
    private static final class InstantSampleSerializer extends JsonSerializer<InstantSample> {
        @Override
        public void serialize(InstantSample s, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            writeMetric(s.labels(), gen);
            gen.writeFieldName("value");
            writePoint(s.timestampMillis(), s.value(), gen);
            gen.writeEndObject();
        }
    }

    private static final class ScalarPointSerializer extends JsonSerializer<ScalarPoint> {
        @Override
        public void serialize(ScalarPoint p, JsonGenerator gen, SerializerProvider provider) throws IOException {
            writePoint(p.timestampMillis(), p.value(), gen);
        }
    }

    /** {@code {"metric":{…},"values":[[t,"v"],…]}} */
    private static final class RangeSeriesSerializer extends JsonSerializer<RangeSeries> {
        @Override
        public void serialize(RangeSeries s, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartObject();
            writeMetric(s.labels(), gen);
            gen.writeArrayFieldStart("values");
            long[] ts = s.timestampsMillis();
            double[] vs = s.values();
            for (int i = 0; i < ts.length; i++) {
                writePoint(ts[i], vs[i], gen);
            }
            gen.writeEndArray();
            gen.writeEndObject();
        }
    }
}
