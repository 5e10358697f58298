package io.vigil.logs.index;

import java.util.List;

/**
 * What Elasticsearch did with the documents of one {@link BulkIndexer#index} call.
 *
 * @param created  documents indexed now
 * @param existing documents it already had (a redelivered batch): left as they were
 * @param rejected documents it refused for good (a mapping error); logged with where they came from
 * @param retry    documents it could not take now (429, 5xx, a blocked index): send them again later
 */
public record BulkOutcome(int created, int existing, int rejected, List<LogDocument> retry) {

    public BulkOutcome {
        retry = List.copyOf(retry);
    }

    public static final BulkOutcome NOTHING = new BulkOutcome(0, 0, 0, List.of());

    public BulkOutcome plus(BulkOutcome other) {
        var both = new java.util.ArrayList<>(retry);
        both.addAll(other.retry);
        return new BulkOutcome(created + other.created, existing + other.existing, rejected + other.rejected, both);
    }

    public boolean complete() {
        return retry.isEmpty();
    }
}
