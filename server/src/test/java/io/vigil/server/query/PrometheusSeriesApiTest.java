package io.vigil.server.query;

import io.vigil.promql.InMemorySeriesReader;
import io.vigil.model.SeriesReader;
import io.vigil.ingest.StoreException;
import io.vigil.model.Labels;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusSeriesApiTest {

    private final InMemorySeriesReader reader = new InMemorySeriesReader()
            .add(Labels.of("__name__", "up", "job", "pay", "instance", "a"), 1000, 1, 61_000, 1)
            .add(Labels.of("__name__", "up", "job", "shop", "instance", "b"), 1000, 0)
            .add(Labels.of("__name__", "lag", "job", "pay", "channel", "x"), 120_000, 5);
    private final PrometheusSeriesApi api = new PrometheusSeriesApi(reader);

    private static PrometheusSeriesApi.Params params(List<String> matchers, String... namesAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new PrometheusSeriesApi.Params() {
            @Override
            public String get(String name) {
                return map.getOrDefault(name, "");
            }

            @Override
            public List<String> matchers() {
                return matchers;
            }
        };
    }

    private static String json(ApiResult result) {
        return PrometheusResponses.toJson(result.body());
    }

    @Test
    void seriesIsTheUnionOfEveryMatchOrderedByLabels() {
        ApiResult result = api.series(params(List.of("up{job=\"shop\"}", "{job=\"pay\"}", "up{instance=\"b\"}")));
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(json(result)).isEqualTo("{\"status\":\"success\",\"data\":["
                + "{\"__name__\":\"lag\",\"channel\":\"x\",\"job\":\"pay\"},"
                + "{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"pay\"},"
                + "{\"__name__\":\"up\",\"instance\":\"b\",\"job\":\"shop\"}]}");
    }

    @Test
    void seriesHonoursTheTimeRangeAndIsUnboundedWithoutOne() {
        assertThat(json(api.series(params(List.of("up"), "start", "60", "end", "70"))))
                .isEqualTo("{\"status\":\"success\",\"data\":[{\"__name__\":\"up\",\"instance\":\"a\",\"job\":\"pay\"}]}");
        api.series(params(List.of("up")));
        assertThat(reader.reads.getLast().startMillis()).isEqualTo(SeriesReader.UNBOUNDED_START);
        assertThat(reader.reads.getLast().endMillis()).isEqualTo(SeriesReader.UNBOUNDED_END);
    }

    @Test
    void seriesErrorsAreBadData() {
        assertThat(json(api.series(params(List.of())))).isEqualTo(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no match[] parameter provided\"}");
        assertThat(json(api.series(params(List.of("up{a~\"b\"}"))))).contains("\"bad_data\"")
                .contains("1:5: parse error: unexpected character inside braces: '~'");
        assertThat(json(api.series(params(List.of("{a=\"\"}"))))).contains("vector selector must contain at least one non-empty matcher");
        assertThat(json(api.series(params(List.of("rate(up[5m])"))))).contains("match[] must be a series selector");
        assertThat(json(api.series(params(List.of("up"), "start", "yesterday")))).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\","
                + "\"error\":\"invalid parameter \\\"start\\\": Invalid time value for 'start': cannot parse \\\"yesterday\\\" to a valid timestamp\"}");
    }

    @Test
    void labelNamesOfAllOrOfTheMatchedSeries() {
        assertThat(json(api.labelNames(params(List.of())))).isEqualTo(
                "{\"status\":\"success\",\"data\":[\"__name__\",\"channel\",\"instance\",\"job\"]}");
        assertThat(json(api.labelNames(params(List.of("up"))))).isEqualTo(
                "{\"status\":\"success\",\"data\":[\"__name__\",\"instance\",\"job\"]}");
        assertThat(json(api.labelNames(params(List.of("nothing"))))).isEqualTo("{\"status\":\"success\",\"data\":[]}");
    }

    @Test
    void labelValuesIncludingMetricNames() {
        assertThat(json(api.labelValues("job", params(List.of())))).isEqualTo("{\"status\":\"success\",\"data\":[\"pay\",\"shop\"]}");
        assertThat(json(api.labelValues("__name__", params(List.of())))).isEqualTo("{\"status\":\"success\",\"data\":[\"lag\",\"up\"]}");
        assertThat(json(api.labelValues("instance", params(List.of("up{job=\"pay\"}")))))
                .isEqualTo("{\"status\":\"success\",\"data\":[\"a\"]}");
        assertThat(json(api.labelValues("job", params(List.of(), "start", "100", "end", "200"))))
                .isEqualTo("{\"status\":\"success\",\"data\":[\"pay\"]}");
        assertThat(json(api.labelValues("1bad", params(List.of())))).isEqualTo(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"invalid label name: \\\"1bad\\\"\"}");
    }

    @Test
    void metadataIsAValidEmptyObject() {
        assertThat(json(api.metadata())).isEqualTo("{\"status\":\"success\",\"data\":{}}");
    }

    @Test
    void storeFailuresKeepTheirInternalsToTheLog() {
        reader.failWith(() -> new StoreException("listing failed", new SQLException("Connection refused", "08001")));
        ApiResult result = api.labelNames(params(List.of()));
        assertThat(result.httpStatus()).isEqualTo(503);
        assertThat(json(result)).doesNotContain("refused");
    }
}
