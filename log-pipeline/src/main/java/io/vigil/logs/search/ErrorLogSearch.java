package io.vigil.logs.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.vigil.logs.index.Fields;
import io.vigil.logs.index.IndexNames;
import io.vigil.logs.index.LogIndex;
import java.util.ArrayList;
import java.util.Locale;

/** Error-log search: by window, severity, code, words of the message, cluster and instance; newest first. */
public final class ErrorLogSearch {

    private final ElasticsearchClient client;
    private final IndexNames names;

    public ErrorLogSearch(ElasticsearchClient client, IndexNames names) {
        this.client = client;
        this.names = names;
    }

    public ErrorEvents search(ErrorQuery q) throws SearchUnavailableException {
        var filters = new ArrayList<Query>();
        filters.add(Queries.window(q.window()));
        if (!q.severities().isEmpty()) {
            filters.add(Queries.anyOf(Fields.SEVERITY, q.severities().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList()));
        }
        Queries.add(filters, Fields.CODE, q.code());
        Queries.add(filters, Fields.CLUSTER, q.cluster());
        Queries.add(filters, Fields.INSTANCE, q.instance());
        var must = new ArrayList<Query>();
        q.text().ifPresent(t -> must.add(Queries.allWords(Fields.MESSAGE, t)));
        var response = Searches.run(client, s -> s.index(names.pattern(LogIndex.ERRORS)).size(q.limit())
                .trackTotalHits(t -> t.enabled(true)).ignoreUnavailable(true).allowNoIndices(true)
                .query(x -> x.bool(b -> b.filter(filters).must(must)))
                .sort(o -> o.field(f -> f.field(Fields.TIMESTAMP).order(SortOrder.Desc)))
                .sort(o -> o.field(f -> f.field(Fields.OFFSET).order(SortOrder.Desc))), "error-log events");
        return new ErrorEvents(Sources.total(response), Sources.hits(response, Sources::errorEvent));
    }
}
