package io.vigil.logs.search;

import co.elastic.clients.elasticsearch._types.query_dsl.Operator;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.vigil.logs.index.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The filters every search is made of, built with the client's typed query DSL: values travel as JSON
 * values of term, range and match queries, never as query syntax, whatever characters they hold.
 */
final class Queries {

    private Queries() {
    }

    static Query window(SearchWindow window) {
        return Query.of(q -> q.range(r -> r.date(d -> d.field(Fields.TIMESTAMP)
                .gte(window.from().toString()).lt(window.to().toString()))));
    }

    static Query term(String field, String value) {
        return Query.of(q -> q.term(t -> t.field(field).value(value)));
    }

    static Query anyOf(String field, List<String> values) {
        var terms = values.stream().map(co.elastic.clients.elasticsearch._types.FieldValue::of).toList();
        return Query.of(q -> q.terms(t -> t.field(field).terms(v -> v.value(terms))));
    }

    /** Every word must occur (analysed like the field), in any order. */
    static Query allWords(String field, String text) {
        return Query.of(q -> q.match(m -> m.field(field).query(text).operator(Operator.And)));
    }

    static List<Query> slow(SearchWindow window, SlowLogFilter filter) {
        var filters = new ArrayList<Query>();
        filters.add(window(window));
        add(filters, Fields.CLUSTER, filter.cluster());
        add(filters, Fields.INSTANCE, filter.instance());
        add(filters, Fields.SCHEMA, filter.schema());
        add(filters, Fields.USER, filter.user());
        return filters;
    }

    static void add(List<Query> filters, String field, Optional<String> value) {
        value.ifPresent(v -> filters.add(term(field, v)));
    }

    static Query all(List<Query> filters) {
        return Query.of(q -> q.bool(b -> b.filter(filters)));
    }
}
