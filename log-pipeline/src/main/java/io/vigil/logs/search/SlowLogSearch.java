package io.vigil.logs.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregate;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.FieldDateMath;
import co.elastic.clients.elasticsearch._types.aggregations.StringTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.util.NamedValue;
import io.vigil.logs.index.Fields;
import io.vigil.logs.index.IndexNames;
import io.vigil.logs.index.LogIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Slow-query search: the query classes that cost the most over a window, one class in detail, and the
 * slowest queries of a window. Ranking is a terms aggregation on the query id ordered by a metric
 * sub-aggregation (sum, avg or the 95th percentile of query time; or the count): Elasticsearch ranks
 * on each shard and merges, with a shard size well above the limit so that the merged top is right.
 */
public final class SlowLogSearch {

    static final String TOTAL = "total";
    static final String AVG = "avg";
    static final String MAX = "max";
    static final String P95 = "p95";
    static final String ROWS = "rows_examined";
    static final String SLOWEST = "slowest";
    static final String CLASSES = "classes";
    /** Histogram buckets aimed at when the caller names no interval. */
    static final int TARGET_BUCKETS = 60;
    static final int MAX_BUCKETS = 2000;
    private static final List<Duration> INTERVALS = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(5),
            Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(3),
            Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1));

    private final ElasticsearchClient client;
    private final IndexNames names;

    public SlowLogSearch(ElasticsearchClient client, IndexNames names) {
        this.client = client;
        this.names = names;
    }

    /** The {@code limit} classes ranked highest by {@code ranking} among the slow queries the filter selects. */
    public TopClasses top(SearchWindow window, SlowLogFilter filter, Ranking ranking, int limit) throws SearchUnavailableException {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        Query query = Queries.all(Queries.slow(window, filter));
        var response = search(s -> s.index(names.pattern(LogIndex.SLOW)).size(0).trackTotalHits(t -> t.enabled(true))
                .ignoreUnavailable(true).allowNoIndices(true).query(query)
                .aggregations(TOTAL, a -> a.sum(m -> m.field(Fields.QUERY_TIME)))
                .aggregations(CLASSES, classes(ranking, limit)), "top slow-query classes");
        if (response.aggregations().get(TOTAL) == null) {
            return new TopClasses(window, ranking, 0, 0, List.of()); // no index yet: Elasticsearch answers without aggregations
        }
        long totalCount = Sources.total(response);
        double totalSeconds = response.aggregations().get(TOTAL).sum().value();
        var classes = new ArrayList<QueryClass>();
        for (StringTermsBucket b : response.aggregations().get(CLASSES).sterms().buckets().array()) {
            classes.add(queryClass(b, totalSeconds));
        }
        return new TopClasses(window, ranking, totalCount, totalSeconds, classes);
    }

    private static Aggregation classes(Ranking ranking, int limit) {
        var order = switch (ranking) {
            case SUM -> NamedValue.of(TOTAL, SortOrder.Desc);
            case COUNT -> NamedValue.of("_count", SortOrder.Desc);
            case AVG -> NamedValue.of(AVG, SortOrder.Desc);
            case P95 -> NamedValue.of(P95 + ".95", SortOrder.Desc);
        };
        return Aggregation.of(a -> a
                .terms(t -> t.field(Fields.QUERY_ID).size(limit).shardSize(Math.max(1000, limit * 20))
                        .order(List.of(order, NamedValue.of("_key", SortOrder.Asc))))
                .aggregations(TOTAL, s -> s.sum(m -> m.field(Fields.QUERY_TIME)))
                .aggregations(AVG, s -> s.avg(m -> m.field(Fields.QUERY_TIME)))
                .aggregations(MAX, s -> s.max(m -> m.field(Fields.QUERY_TIME)))
                .aggregations(P95, s -> s.percentiles(p -> p.field(Fields.QUERY_TIME).percents(95.0).keyed(false)))
                .aggregations(ROWS, s -> s.sum(m -> m.field(Fields.ROWS_EXAMINED)))
                .aggregations(SLOWEST, s -> s.topHits(h -> h.size(1)
                        .sort(o -> o.field(f -> f.field(Fields.QUERY_TIME).order(SortOrder.Desc))))));
    }

    private static QueryClass queryClass(StringTermsBucket b, double windowSeconds) {
        Map<String, Aggregate> a = b.aggregations();
        double total = a.get(TOTAL).sum().value();
        var slowest = a.get(SLOWEST).topHits().hits().hits().stream().findFirst()
                .map(h -> Sources.slowQuery(Sources.map(h.source()))).orElse(null);
        return new QueryClass(b.key().stringValue(), slowest == null ? null : slowest.fingerprint(), b.docCount(), total,
                a.get(AVG).avg().value(), percentile(a.get(P95), 95.0), a.get(MAX).max().value(),
                windowSeconds > 0 ? total / windowSeconds : 0, (long) a.get(ROWS).sum().value(), slowest);
    }

    /**
     * One class over a window: statistics, a histogram of count and time per {@code interval} (chosen for
     * about {@value #TARGET_BUCKETS} buckets when empty), and its {@code samples} slowest queries.
     *
     * @return empty when the class has no slow query in the window
     */
    public Optional<ClassReport> queryClass(String queryId, SearchWindow window, SlowLogFilter filter,
                                            Optional<Duration> interval, int samples) throws SearchUnavailableException {
        Duration step = interval.orElseGet(() -> interval(window));
        if (step.isZero() || step.isNegative() || step.toMillis() < 1000) {
            throw new IllegalArgumentException("interval must be at least 1s, got " + step.toSeconds() + "s");
        }
        if (window.length().dividedBy(step) > MAX_BUCKETS) {
            throw new IllegalArgumentException("interval " + step.toSeconds() + "s makes more than " + MAX_BUCKETS
                    + " buckets over the window; choose a larger one");
        }
        var filters = Queries.slow(window, filter);
        filters.add(Queries.term(Fields.QUERY_ID, queryId));
        String fixed = step.toSeconds() + "s";
        var response = search(s -> s.index(names.pattern(LogIndex.SLOW)).size(samples).trackTotalHits(t -> t.enabled(true))
                .ignoreUnavailable(true).allowNoIndices(true).query(Queries.all(filters))
                .sort(o -> o.field(f -> f.field(Fields.QUERY_TIME).order(SortOrder.Desc)))
                .aggregations("stats", a -> a.stats(m -> m.field(Fields.QUERY_TIME)))
                .aggregations("pct", a -> a.percentiles(p -> p.field(Fields.QUERY_TIME).percents(50.0, 95.0, 99.0).keyed(false)))
                .aggregations("lock", a -> a.sum(m -> m.field(Fields.LOCK_TIME)))
                .aggregations(ROWS, a -> a.sum(m -> m.field(Fields.ROWS_EXAMINED)))
                .aggregations("rows_sent", a -> a.sum(m -> m.field(Fields.ROWS_SENT)))
                .aggregations("histogram", a -> a
                        .dateHistogram(h -> h.field(Fields.TIMESTAMP).fixedInterval(t -> t.time(fixed)).minDocCount(0)
                                .extendedBounds(e -> e.min(FieldDateMath.of(m -> m.value((double) window.from().toEpochMilli())))
                                        .max(FieldDateMath.of(m -> m.value((double) window.to().toEpochMilli() - 1)))))
                        .aggregations(TOTAL, t -> t.sum(m -> m.field(Fields.QUERY_TIME)))), "slow-query class " + queryId);
        if (response.aggregations().get("stats") == null) {
            return Optional.empty(); // no index yet
        }
        var stats = response.aggregations().get("stats").stats();
        if (stats.count() == 0) {
            return Optional.empty();
        }
        var pct = response.aggregations().get("pct");
        var buckets = new ArrayList<ClassReport.Bucket>();
        for (var b : response.aggregations().get("histogram").dateHistogram().buckets().array()) {
            Instant start = Instant.ofEpochMilli(b.key());
            if (!start.isBefore(window.from().minus(step)) && start.isBefore(window.to())) {
                buckets.add(new ClassReport.Bucket(start, b.docCount(), b.aggregations().get(TOTAL).sum().value()));
            }
        }
        var sampleQueries = Sources.hits(response, Sources::slowQuery);
        String fingerprint = sampleQueries.isEmpty() ? null : sampleQueries.getFirst().fingerprint();
        return Optional.of(new ClassReport(queryId, fingerprint, window, stats.count(), stats.sum(), stats.avg(),
                stats.min(), stats.max(), percentile(pct, 50.0), percentile(pct, 95.0), percentile(pct, 99.0),
                response.aggregations().get("lock").sum().value(), (long) response.aggregations().get(ROWS).sum().value(),
                (long) response.aggregations().get("rows_sent").sum().value(), step, buckets, sampleQueries));
    }

    /** The {@code limit} slowest queries of the window, slowest first, and how many there were. */
    public SlowQueries slowest(SearchWindow window, SlowLogFilter filter, int limit) throws SearchUnavailableException {
        var response = search(s -> s.index(names.pattern(LogIndex.SLOW)).size(limit).trackTotalHits(t -> t.enabled(true))
                .ignoreUnavailable(true).allowNoIndices(true).query(Queries.all(Queries.slow(window, filter)))
                .sort(o -> o.field(f -> f.field(Fields.QUERY_TIME).order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field(Fields.TIMESTAMP).order(SortOrder.Asc))), "slowest queries");
        return new SlowQueries(Sources.total(response), Sources.hits(response, Sources::slowQuery));
    }

    /** The queries of a window and how many matched in all. */
    public record SlowQueries(long total, List<SlowQuery> queries) {
        public SlowQueries {
            queries = List.copyOf(queries);
        }
    }

    /** The smallest interval that keeps the histogram at about {@value #TARGET_BUCKETS} buckets. */
    static Duration interval(SearchWindow window) {
        for (Duration d : INTERVALS) {
            if (window.length().dividedBy(d) <= TARGET_BUCKETS) {
                return d;
            }
        }
        return Duration.ofDays(Math.max(1, window.length().toDays() / TARGET_BUCKETS + 1));
    }

    private static double percentile(Aggregate aggregate, double percent) {
        return aggregate.tdigestPercentiles().values().array().stream().filter(i -> i.key() == percent)
                .mapToDouble(i -> i.value()).findFirst().orElse(Double.NaN);
    }

    private SearchResponse<JsonData> search(Function<SearchRequest.Builder, SearchRequest.Builder> request, String what)
            throws SearchUnavailableException {
        return Searches.run(client, request, what);
    }
}
