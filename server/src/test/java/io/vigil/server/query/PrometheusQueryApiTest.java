package io.vigil.server.query;

import io.vigil.promql.QueryEngine;
import io.vigil.promql.InMemorySeriesReader;
import io.vigil.ingest.StoreException;
import io.vigil.model.Labels;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusQueryApiTest {

    private static final long NOW = 1_435_781_451_781L;

    private final InMemorySeriesReader reader = new InMemorySeriesReader();
    private final PrometheusQueryApi api = new PrometheusQueryApi(new QueryEngine(reader), () -> NOW);

    private static PrometheusQueryApi.Params params(String... namesAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return name -> map.getOrDefault(name, "");
    }

    private static String json(ApiResult result) {
        return PrometheusResponses.toJson(result.body());
    }

    private static String error(String type, String message) {
        return PrometheusResponses.toJson(PrometheusResponses.error(ErrorType.valueOf(type), message));
    }

    @Test
    void instantQueryDefaultsToNowAndRendersAVector() {
        reader.add(Labels.of("__name__", "up", "job", "pay"), NOW - 10_000, 1);
        ApiResult result = api.query(params("query", "up"));
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(json(result)).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                        + "[{\"metric\":{\"__name__\":\"up\",\"job\":\"pay\"},\"value\":[1435781451.781,\"1\"]}]}}");
    }

    @Test
    void instantQueryAtAGivenTime() {
        reader.add(Labels.of("__name__", "m"), 1_435_781_000_000L, 1234.5678, 1_435_781_400_000L, 0.5);
        assertThat(json(api.query(params("query", "m", "time", "2015-07-01T20:03:21Z")))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                        + "[{\"metric\":{\"__name__\":\"m\"},\"value\":[1435781001,\"1234.5678\"]}]}}");
        assertThat(json(api.query(params("query", "m", "time", "1435781450")))).contains("\"value\":[1435781450,\"0.5\"]");
    }

    @Test
    void emptyResultIsAnEmptyArray() {
        assertThat(json(api.query(params("query", "absent")))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        assertThat(json(api.queryRange(params("query", "absent", "start", "0", "end", "60", "step", "15s")))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}");
    }

    @Test
    void rangeQueryRendersAMatrix() {
        reader.add(Labels.of("__name__", "m", "i", "b"), 0, 1)
                .add(Labels.of("__name__", "m", "i", "a"), 1000, Double.POSITIVE_INFINITY, 31_000, 1e21, 61_500, Double.NaN);
        ApiResult result = api.queryRange(params("query", "m", "start", "0", "end", "1970-01-01T00:01:30Z", "step", "30s"));
        assertThat(result.httpStatus()).isEqualTo(200);
        assertThat(json(result)).isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"__name__\":\"m\",\"i\":\"a\"},\"values\":[[30,\"+Inf\"],[60,\"1e+21\"],[90,\"NaN\"]]},"
                + "{\"metric\":{\"__name__\":\"m\",\"i\":\"b\"},\"values\":[[0,\"1\"],[30,\"1\"],[60,\"1\"],[90,\"1\"]]}]}}");
    }

    @Test
    void fractionalStepsAndTimes() {
        reader.add(Labels.of("__name__", "m"), 1500, -2.5);
        assertThat(json(api.queryRange(params("query", "m", "start", "1.5", "end", "2.25", "step", "0.375")))).contains(
                "\"values\":[[1.500,\"-2.5\"],[1.875,\"-2.5\"],[2.250,\"-2.5\"]]");
    }

    @Test
    void parseErrorsAreBadDataWithTheParameterName() {
        ApiResult result = api.query(params("query", "foo{a~\"b\"}"));
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(json(result)).isEqualTo(
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                        + "\"invalid parameter \\\"query\\\": 1:6: parse error: unexpected character inside braces: '~'\"}");
        assertThat(json(api.query(params()))).isEqualTo(error("BAD_DATA",
                "invalid parameter \"query\": 1:1: parse error: no expression found in input"));
        assertThat(json(api.queryRange(params("query", "histogram_quantile(0.9, m)", "start", "0", "end", "1", "step", "1"))))
                .contains("invalid parameter \\\"query\\\": 1:1: parse error: the function \\\"histogram_quantile\\\" is not supported yet");
    }

    @Test
    void parameterErrorsAreWordedLikePrometheus() {
        assertThat(json(api.query(params("query", "up", "time", "abc")))).isEqualTo(error("BAD_DATA",
                "invalid parameter \"time\": Invalid time value for 'time': cannot parse \"abc\" to a valid timestamp"));
        assertThat(json(api.query(params("query", "up", "timeout", "soon")))).isEqualTo(error("BAD_DATA",
                "invalid parameter \"timeout\": cannot parse \"soon\" to a valid duration"));
        assertThat(json(api.queryRange(params("query", "up", "end", "1", "step", "1")))).isEqualTo(error("BAD_DATA",
                "invalid parameter \"start\": cannot parse \"\" to a valid timestamp"));
        assertThat(json(api.queryRange(params("query", "up", "start", "1", "end", "x", "step", "1")))).isEqualTo(error("BAD_DATA",
                "invalid parameter \"end\": cannot parse \"x\" to a valid timestamp"));
        assertThat(json(api.queryRange(params("query", "up", "start", "2", "end", "1", "step", "1")))).isEqualTo(error("BAD_DATA",
                "invalid parameter \"end\": end timestamp must not be before start time"));
        assertThat(json(api.queryRange(params("query", "up", "start", "1", "end", "2", "step", "1x")))).isEqualTo(error("BAD_DATA",
                "invalid parameter \"step\": cannot parse \"1x\" to a valid duration"));
        for (String step : new String[] {"0", "-15", "0.0001"}) {
            assertThat(json(api.queryRange(params("query", "up", "start", "1", "end", "2", "step", step)))).isEqualTo(error("BAD_DATA",
                    "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. Try a positive integer"));
        }
    }

    @Test
    void tooManyPointsIsRefusedBeforeTheStoreIsRead() {
        ApiResult result = api.queryRange(params("query", "up", "start", "0", "end", "11001", "step", "1"));
        assertThat(result.httpStatus()).isEqualTo(400);
        assertThat(json(result)).isEqualTo(error("BAD_DATA",
                "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"));
        assertThat(reader.reads).isEmpty();
        assertThat(api.queryRange(params("query", "up", "start", "0", "end", "11000", "step", "1")).httpStatus()).isEqualTo(200);
        assertThat(api.queryRange(params("query", "up", "start", "0", "end", "16500", "step", "1.5")).httpStatus()).isEqualTo(200);
        assertThat(api.queryRange(params("query", "up", "start", "0", "end", "16501.5", "step", "1.5")).httpStatus()).isEqualTo(400);
    }

    @Test
    void unreachableStoreIsUnavailableWithoutInternals() {
        reader.failWith(() -> new StoreException("reading series failed",
                new SQLException("Connection to db.internal:5432 refused", "08001")));
        ApiResult result = api.query(params("query", "up"));
        assertThat(result.httpStatus()).isEqualTo(503);
        assertThat(json(result)).isEqualTo(error("UNAVAILABLE", "the time-series store is unavailable, try again later"));

        reader.failWith(() -> new RuntimeException(new SQLTransientConnectionException("pool exhausted")));
        assertThat(api.queryRange(params("query", "up", "start", "0", "end", "1", "step", "1")).httpStatus()).isEqualTo(503);
    }

    @Test
    void otherStoreFailuresAreExecutionErrorsWithoutInternals() {
        reader.failWith(() -> new StoreException("reading series failed",
                new SQLException("ERROR: relation \"samples\" does not exist", "42P01")));
        ApiResult result = api.query(params("query", "up"));
        assertThat(result.httpStatus()).isEqualTo(422);
        assertThat(json(result)).isEqualTo(error("EXECUTION", "query execution failed; the server log has the details"))
                .doesNotContain("samples");
    }

    @Test
    void buildInfoLooksLikePrometheus() {
        assertThat(PrometheusResponses.toJson(PrometheusResponses.buildInfo("0.1.0"))).isEqualTo(
                "{\"status\":\"success\",\"data\":{\"version\":\"2.42.0\",\"revision\":\"\",\"branch\":\"\",\"buildUser\":\"\","
                        + "\"buildDate\":\"\",\"goVersion\":\"\",\"vigilVersion\":\"0.1.0\"}}");
    }

    @Test
    void apiRendersScalarsRefusesRangeVectorsInRangeQueriesAndReportsExecutionErrors() {
        reader.add(Labels.of("__name__", "a", "x", "1"), NOW, 1).add(Labels.of("__name__", "b", "x", "1"), NOW, 2);
        assertThat(json(api.query(params("query", "1+1", "time", "1700000040"))))
                .isEqualTo("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000040,\"2\"]}}");
        ApiResult range = api.queryRange(params("query", "a[5m]", "start", "0", "end", "60", "step", "15"));
        assertThat(range.httpStatus()).isEqualTo(400);
        assertThat(json(range)).isEqualTo("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
                + "\"invalid parameter \\\"query\\\": invalid expression type \\\"range vector\\\" for range query, must be Scalar or instant Vector\"}");
        ApiResult failed = api.query(params("query", "{x=\"1\"} * 2"));
        assertThat(failed.httpStatus()).isEqualTo(422);
        assertThat(json(failed)).isEqualTo(
                "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"vector cannot contain metrics with the same labelset\"}");
    }
}
