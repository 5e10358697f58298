package io.vigil.server.query;

import io.vigil.model.SeriesReader;
import io.vigil.promql.QueryEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The query API's engine reads the store; the rule engine builds its own over its in-memory window. */
@ApplicationScoped
class QueryEngineProducer {

    @Produces
    @ApplicationScoped
    QueryEngine queryEngine(SeriesReader store) {
        return new QueryEngine(store);
    }
}
