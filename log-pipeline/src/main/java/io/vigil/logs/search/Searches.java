package io.vigil.logs.search;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.util.function.Function;

/** Runs a search and turns every way it can fail into one exception that says what was asked. */
final class Searches {

    private Searches() {
    }

    static SearchResponse<JsonData> run(ElasticsearchClient client, Function<SearchRequest.Builder, SearchRequest.Builder> request,
                                        String what) throws SearchUnavailableException {
        try {
            return client.search(b -> request.apply(b), JsonData.class);
        } catch (ElasticsearchException e) {
            throw new SearchUnavailableException("Elasticsearch could not answer the search for " + what + " (HTTP "
                    + e.status() + ": " + (e.error() == null ? e.getMessage() : e.error().type() + ": " + e.error().reason()) + ")", e);
        } catch (TransportException e) {
            throw new SearchUnavailableException("the search for " + what + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SearchUnavailableException("Elasticsearch is not reachable for the search for " + what + ": " + e, e);
        }
    }
}
