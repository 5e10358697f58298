package io.vigil.logs.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.Endpoint;
import co.elastic.clients.transport.TransportException;
import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.endpoints.SimpleEndpoint;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;

/**
 * Sends documents to Elasticsearch with the bulk API, in requests of at most {@code maxDocuments} documents
 * and about {@code maxBytes} of JSON (a request above the cluster's {@code http.max_content_length}, 100 MB
 * by default, would be refused whole, again and again).
 * Each document is <em>created</em> under its derived id: a document Elasticsearch already has answers
 * 409 and stays as it was, so a redelivered batch costs a lookup and never makes a duplicate.
 *
 * <p>Per document: a refusal of the document itself (400, a mapping error; 413, too large) would fail
 * again, so it is counted and logged with the document's origin and source. Any other refusal is about
 * the cluster, not the document: overloaded (429, also a full disk's read-only block), failing (5xx), an
 * index blocked or not allowed (403) or missing where auto-creation is off (404). Those documents are
 * tried again later ({@link BulkOutcome#retry}): they are never dropped.
 *
 * <p>When one call needs several requests, the next one is serialised and sent while Elasticsearch still works
 * on the one before: at most two are in flight, and their outcomes are taken in order. Elasticsearch thus never
 * waits for the serialisation of the next request, and the serialisation never waits for Elasticsearch.
 *
 * <p>The request body is the documents' JSON as it was written once, framed by their actions ({@link BulkBody}),
 * and goes through the client's transport (nodes, authentication, errors) and its parser for the answer; the
 * client's own {@code bulk()} would serialise every document again through its JSON-P layer.
 */
public final class BulkIndexer {

    private static final Logger LOG = Logger.getLogger(BulkIndexer.class);
    /** How much of a refused document's source goes into the log line. */
    private static final int LOGGED_SOURCE_CHARS = 2000;

    /** POST /_bulk with a body made by {@link BulkBody}; the answer parsed as the client's own bulk() parses it. */
    private static final Endpoint<BinaryData, BulkResponse, ErrorResponse> BULK = new SimpleEndpoint<>("es/bulk",
            body -> "POST", body -> "/_bulk", SimpleEndpoint.emptyMap(), SimpleEndpoint.emptyMap(),
            SimpleEndpoint.emptyMap(), body -> body, BulkResponse._DESERIALIZER);

    private final ElasticsearchTransport transport;
    private final TransportOptions options;
    private final int maxDocuments;
    private final long maxBytes;

    public BulkIndexer(ElasticsearchClient client, int maxDocuments, long maxBytes) {
        if (maxDocuments < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("a bulk request carries at least 1 document and 1 byte, got " + maxDocuments
                    + " documents and " + maxBytes + " bytes");
        }
        this.transport = client._transport();
        this.options = client._transportOptions();
        this.maxDocuments = maxDocuments;
        this.maxBytes = maxBytes;
    }

    /**
     * Indexes every document, in order, in as many bulk requests as the limits need (a document larger than
     * {@code maxBytes} goes alone).
     *
     * @throws ElasticsearchUnavailableException when a request failed as a whole; the documents of the
     *                                           requests before it were taken, sending all again is harmless
     */
    public BulkOutcome index(List<LogDocument> documents) throws ElasticsearchUnavailableException {
        var outcome = BulkOutcome.NOTHING;
        Sent previous = null;
        int from = 0;
        try {
            while (from < documents.size()) {
                int to = from;
                long bytes = 0;
                do {
                    bytes += BulkBody.bytes(documents.get(to));
                    to++;
                } while (to < documents.size() && to - from < maxDocuments
                        && bytes + BulkBody.bytes(documents.get(to)) <= maxBytes);
                Sent sent = send(documents.subList(from, to));
                if (previous != null) {
                    Sent waiting = previous;
                    previous = sent; // awaited below should this one fail
                    outcome = outcome.plus(waiting.outcome());
                }
                previous = sent;
                from = to;
            }
            if (previous != null) {
                Sent last = previous;
                previous = null;
                outcome = outcome.plus(last.outcome());
            }
        } catch (ElasticsearchUnavailableException e) {
            if (previous != null) {
                previous.settle(); // not left running behind the caller's retry
            }
            throw e;
        }
        return outcome;
    }

    /** A bulk request on its way: serialised and sent, its answer not yet read. */
    private record Sent(List<LogDocument> chunk, CompletableFuture<BulkResponse> response) {

        /** Waits for the answer; what Elasticsearch did with each document, or why the request failed as a whole. */
        BulkOutcome outcome() throws ElasticsearchUnavailableException {
            BulkResponse r;
            try {
                r = response.get();
            } catch (ExecutionException e) {
                throw unavailable(chunk.size(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ElasticsearchUnavailableException("interrupted while waiting for a bulk request of "
                        + chunk.size() + " documents", e);
            }
            return outcomeOf(chunk, r);
        }

        /** Waits until the request has ended, however it ended. */
        void settle() {
            try {
                response.handle((r, e) -> null).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                // handle() does not fail
            }
        }
    }

    private Sent send(List<LogDocument> chunk) throws ElasticsearchUnavailableException {
        var body = BulkBody.of(chunk);
        try {
            // The JSON content type makes the transport send the headers it sends with its own bulk requests.
            var request = BinaryData.of(body.array(), 0, body.size(), ContentType.APPLICATION_JSON);
            // The answer is parsed on the HTTP client's thread.
            return new Sent(chunk, transport.performRequestAsync(request, BULK, options));
        } catch (RuntimeException e) {
            throw unavailable(chunk.size(), e);
        }
    }

    private static ElasticsearchUnavailableException unavailable(int documents, Throwable failure) {
        Throwable e = failure;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return switch (e) {
            case ElasticsearchException ee -> new ElasticsearchUnavailableException("Elasticsearch refused a bulk request of "
                    + documents + " documents with HTTP " + ee.status() + ": " + reason(ee.error()), ee);
            case TransportException te -> new ElasticsearchUnavailableException("bulk request of " + documents
                    + " documents failed: " + te.getMessage(), te);
            case IOException io -> new ElasticsearchUnavailableException("Elasticsearch is not reachable (" + io + "); "
                    + documents + " documents wait", io);
            default -> new ElasticsearchUnavailableException("bulk request of " + documents + " documents failed: " + e, e);
        };
    }

    private static BulkOutcome outcomeOf(List<LogDocument> chunk, BulkResponse response) {
        List<BulkResponseItem> items = response.items();
        Map<String, LogDocument> byId = null;
        int created = 0;
        int existing = 0;
        int rejected = 0;
        var retry = new ArrayList<LogDocument>();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            // Items come back in request order; the map, made only if one does not, guards against a server that reorders.
            LogDocument doc = i < chunk.size() ? chunk.get(i) : null;
            if (item.id() != null && (doc == null || !item.id().equals(doc.id()) || !item.index().equals(doc.index()))) {
                if (byId == null) {
                    byId = new HashMap<>();
                    for (LogDocument d : chunk) {
                        byId.put(d.index() + '/' + d.id(), d);
                    }
                }
                doc = byId.getOrDefault(item.index() + '/' + item.id(), doc);
            }
            if (doc == null) {
                continue; // an item for no document sent: nothing to count it against
            }
            int status = item.status();
            if (status == 200 || status == 201) {
                created++;
            } else if (status == 409) {
                existing++;
            } else if (!documentRefused(status)) {
                retry.add(doc);
            } else {
                rejected++;
                LOG.errorf("Elasticsearch refused the document from %s for %s (HTTP %d): %s; it is not indexed. Source: %s",
                        doc.origin(), doc.index(), status, reason(item.error()), abbreviated(doc.sourceText()));
            }
        }
        return new BulkOutcome(created, existing, rejected, retry);
    }

    /** Whether a refusal is about the document itself, so that sending it again can never work. */
    static boolean documentRefused(int status) {
        return status == 400 || status == 413 || status == 422;
    }

    private static String reason(ErrorCause cause) {
        if (cause == null) {
            return "(no reason given)";
        }
        String text = cause.type() + ": " + cause.reason();
        return cause.causedBy() == null ? text : text + " (caused by " + cause.causedBy().type() + ": " + cause.causedBy().reason() + ")";
    }

    private static String abbreviated(String text) {
        return text.length() <= LOGGED_SOURCE_CHARS ? text : text.substring(0, LOGGED_SOURCE_CHARS) + "… (" + text.length() + " chars)";
    }
}
