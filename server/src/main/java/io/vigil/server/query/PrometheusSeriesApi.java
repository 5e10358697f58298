package io.vigil.server.query;

import io.vigil.promql.Expr;
import io.vigil.promql.GoText;
import io.vigil.promql.LabelsOrder;
import io.vigil.promql.PromQlParseException;
import io.vigil.promql.PromQlParser;
import io.vigil.promql.BadQueryException;
import io.vigil.promql.VectorSelector;
import io.vigil.model.SeriesReader;
import io.vigil.model.LabelMatcher;
import io.vigil.model.Labels;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code /api/v1/series}, {@code /api/v1/labels}, {@code /api/v1/label/<name>/values} and
 * {@code /api/v1/metadata} without JAX-RS, as Prometheus 2.42's {@code web/api/v1/api.go} answers
 * them: Grafana's query editor and variables use these to offer metrics, labels and values.
 */
public final class PrometheusSeriesApi {

    /** A request's parameters: single ones Go {@code FormValue} style ({@code ""} when absent), and every {@code match[]}. */
    public interface Params extends PrometheusQueryApi.Params {
        List<String> matchers();
    }

    private static final Logger LOG = Logger.getLogger(PrometheusSeriesApi.class);

    private final SeriesReader reader;

    public PrometheusSeriesApi(SeriesReader reader) {
        this.reader = reader;
    }

    /** Every series any {@code match[]} selects, as label objects; at least one {@code match[]} is required. */
    public ApiResult series(Params params) {
        try {
            if (params.matchers().isEmpty()) {
                throw new BadQueryException("no match[] parameter provided");
            }
            long start = time(params, "start", SeriesReader.UNBOUNDED_START);
            long end = time(params, "end", SeriesReader.UNBOUNDED_END);
            var labelSets = new LinkedHashSet<Labels>();
            for (List<LabelMatcher> set : matcherSets(params.matchers())) {
                labelSets.addAll(reader.series(set, start, end));
            }
            var sorted = new ArrayList<>(labelSets);
            sorted.sort(LabelsOrder.INSTANCE);
            var data = new ArrayList<Map<String, String>>(sorted.size());
            sorted.forEach(labels -> data.add(labels.asMap()));
            return ApiResult.ok(PrometheusResponses.data(data));
        } catch (BadQueryException e) {
            return ApiResult.error(ErrorType.BAD_DATA, e.getMessage());
        } catch (RuntimeException e) {
            return storeFailure(e, "series");
        }
    }

    /** The label names of the selected series (of all series without {@code match[]}), sorted. */
    public ApiResult labelNames(Params params) {
        try {
            var names = new TreeSet<String>();
            for (Labels labels : selected(params)) {
                names.addAll(labels.asMap().keySet());
            }
            return ApiResult.ok(PrometheusResponses.data(List.copyOf(names)));
        } catch (BadQueryException e) {
            return ApiResult.error(ErrorType.BAD_DATA, e.getMessage());
        } catch (RuntimeException e) {
            return storeFailure(e, "labels");
        }
    }

    /** The values a label takes in the selected series, sorted; {@code __name__} lists metric names. */
    public ApiResult labelValues(String name, Params params) {
        try {
            if (!Labels.isValidName(name)) {
                throw new BadQueryException("invalid label name: " + GoText.quote(name));
            }
            var values = new TreeSet<String>();
            for (Labels labels : selected(params)) {
                String v = labels.get(name);
                if (v != null) {
                    values.add(v);
                }
            }
            return ApiResult.ok(PrometheusResponses.data(List.copyOf(values)));
        } catch (BadQueryException e) {
            return ApiResult.error(ErrorType.BAD_DATA, e.getMessage());
        } catch (RuntimeException e) {
            return storeFailure(e, "label values");
        }
    }

    /**
     * Vigil keeps no HELP/TYPE metadata in the store yet; an empty object is what Prometheus answers
     * for metrics it knows nothing about, and clients handle it (Grafana then shows no tooltip).
     */
    public ApiResult metadata() {
        return ApiResult.ok(PrometheusResponses.data(Map.of()));
    }

    private List<Labels> selected(Params params) {
        long start = time(params, "start", SeriesReader.UNBOUNDED_START);
        long end = time(params, "end", SeriesReader.UNBOUNDED_END);
        if (params.matchers().isEmpty()) {
            return reader.series(List.of(), start, end);
        }
        var all = new LinkedHashSet<Labels>();
        for (List<LabelMatcher> set : matcherSets(params.matchers())) {
            all.addAll(reader.series(set, start, end));
        }
        return List.copyOf(all);
    }

    /** Each {@code match[]} must be a plain selector, as Prometheus' {@code parser.ParseMetricSelector} demands. */
    private static List<List<LabelMatcher>> matcherSets(List<String> matchParams) {
        var sets = new ArrayList<List<LabelMatcher>>();
        for (String m : matchParams) {
            Expr expr;
            try {
                expr = PromQlParser.parse(m);
            } catch (PromQlParseException e) {
                throw new BadQueryException(e.getMessage());
            }
            if (!(expr instanceof VectorSelector selector) || selector.offsetMillis() != 0) {
                throw new BadQueryException("1:1: parse error: match[] must be a series selector such as up{job=\"x\"}, got "
                        + GoText.quote(m));
            }
            sets.add(selector.matchers());
        }
        return sets;
    }

    private static long time(Params params, String name, long absent) {
        String value = params.get(name);
        if (value.isEmpty()) {
            return absent;
        }
        try {
            return PrometheusParams.parseTime(value);
        } catch (BadQueryException e) {
            throw new BadQueryException("invalid parameter " + GoText.quote(name) + ": Invalid time value for '" + name + "': " + e.getMessage());
        }
    }

    private static ApiResult storeFailure(RuntimeException e, String what) {
        if (StoreFailures.isUnavailable(e)) {
            LOG.warnf("Listing %s failed, the store is unreachable: %s", what, e.toString());
            return ApiResult.error(ErrorType.UNAVAILABLE, "the time-series store is unavailable, try again later");
        }
        LOG.errorf(e, "Listing %s failed", what);
        return ApiResult.error(ErrorType.EXECUTION, "listing " + what + " failed; the server log has the details");
    }
}
