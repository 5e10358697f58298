package io.vigil.server.query;

import io.vigil.promql.Expr;
import io.vigil.promql.GoText;
import io.vigil.promql.PromQlParseException;
import io.vigil.promql.PromQlParser;
import io.vigil.promql.QueryEngine;
import io.vigil.promql.QueryExecutionException;
import io.vigil.promql.BadQueryException;
import org.jboss.logging.Logger;

import java.util.function.LongSupplier;

/**
 * The {@code /api/v1/query} and {@code /api/v1/query_range} logic without JAX-RS: parameters are
 * checked in Prometheus' order and with its messages, then the query is evaluated. Store failures
 * are reported without their internals (they are logged instead).
 */
public final class PrometheusQueryApi {

    /** Request parameters, Go {@code FormValue} style: the first value, {@code ""} when absent. */
    @FunctionalInterface
    public interface Params {
        String get(String name);
    }

    private static final Logger LOG = Logger.getLogger(PrometheusQueryApi.class);

    private final QueryEngine engine;
    private final LongSupplier nowMillis;

    public PrometheusQueryApi(QueryEngine engine, LongSupplier nowMillis) {
        this.engine = engine;
        this.nowMillis = nowMillis;
    }

    public ApiResult query(Params params) {
        try {
            long time = params.get("time").isEmpty() ? nowMillis.getAsLong() : parseTime("time", params.get("time"), true);
            checkTimeout(params);
            Expr expr = parseQuery(params.get("query"));
            return ApiResult.ok(PrometheusResponses.result(engine.instant(expr, time)));
        } catch (BadQueryException e) {
            return ApiResult.error(ErrorType.BAD_DATA, e.getMessage());
        } catch (QueryExecutionException e) {
            return ApiResult.error(ErrorType.EXECUTION, e.getMessage());
        } catch (RuntimeException e) {
            return storeFailure(e, params);
        }
    }

    public ApiResult queryRange(Params params) {
        try {
            long start = parseTime("start", params.get("start"), false);
            long end = parseTime("end", params.get("end"), false);
            if (end < start) {
                throw invalidParam("end", "end timestamp must not be before start time");
            }
            long stepNanos;
            try {
                stepNanos = PrometheusParams.parseDurationNanos(params.get("step"));
            } catch (BadQueryException e) {
                throw invalidParam("step", e.getMessage());
            }
            long stepMillis = stepNanos / 1_000_000;
            // Prometheus only refuses steps <= 0 here; one under a millisecond would make it loop on the same instant.
            if (stepNanos <= 0 || stepMillis == 0) {
                throw invalidParam("step", "zero or negative query resolution step widths are not accepted. Try a positive integer");
            }
            if (tooManySteps(start, end, stepNanos)) {
                throw new BadQueryException(QueryEngine.TOO_MANY_POINTS);
            }
            checkTimeout(params);
            Expr expr = parseQuery(params.get("query"));
            try {
                QueryEngine.requireRangeType(expr);
            } catch (BadQueryException e) {
                throw invalidParam("query", e.getMessage());
            }
            return ApiResult.ok(PrometheusResponses.matrix(engine.range(expr, start, end, stepMillis)));
        } catch (BadQueryException e) {
            return ApiResult.error(ErrorType.BAD_DATA, e.getMessage());
        } catch (QueryExecutionException e) {
            return ApiResult.error(ErrorType.EXECUTION, e.getMessage());
        } catch (RuntimeException e) {
            return storeFailure(e, params);
        }
    }

    /** Prometheus' test, on durations in nanoseconds: {@code end.Sub(start)/step > 11000}. */
    private static boolean tooManySteps(long startMillis, long endMillis, long stepNanos) {
        long rangeNanos;
        try {
            rangeNanos = Math.multiplyExact(endMillis - startMillis, 1_000_000L);
        } catch (ArithmeticException e) {
            rangeNanos = Long.MAX_VALUE; // Go's Time.Sub saturates too
        }
        return rangeNanos / stepNanos > QueryEngine.MAX_STEPS;
    }

    private static long parseTime(String param, String value, boolean optional) {
        try {
            return PrometheusParams.parseTime(value);
        } catch (BadQueryException e) {
            // Optional time parameters go through Prometheus' parseTimeParam, which adds its own prefix.
            String message = optional ? "Invalid time value for '" + param + "': " + e.getMessage() : e.getMessage();
            throw invalidParam(param, message);
        }
    }

    /** Checked like Prometheus does, but not enforced yet: each selector is read once, then evaluation is in memory. */
    private static void checkTimeout(Params params) {
        String timeout = params.get("timeout");
        if (!timeout.isEmpty()) {
            try {
                PrometheusParams.parseDurationNanos(timeout);
            } catch (BadQueryException e) {
                throw invalidParam("timeout", e.getMessage());
            }
        }
    }

    private static Expr parseQuery(String query) {
        try {
            return PromQlParser.parse(query);
        } catch (PromQlParseException e) {
            throw invalidParam("query", e.getMessage());
        }
    }

    private static BadQueryException invalidParam(String param, String message) {
        return new BadQueryException("invalid parameter " + GoText.quote(param) + ": " + message);
    }

    private static ApiResult storeFailure(RuntimeException e, Params params) {
        if (StoreFailures.isUnavailable(e)) {
            LOG.warnf("Query %s failed, the store is unreachable: %s", GoText.quote(params.get("query")), e.toString());
            return ApiResult.error(ErrorType.UNAVAILABLE, "the time-series store is unavailable, try again later");
        }
        LOG.errorf(e, "Query %s failed", GoText.quote(params.get("query")));
        return ApiResult.error(ErrorType.EXECUTION, "query execution failed; the server log has the details");
    }
}
