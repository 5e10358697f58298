package io.vigil.logs.index;

import static io.vigil.logs.index.Fields.*;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.mapping.DynamicMapping;
import co.elastic.clients.elasticsearch._types.mapping.Property;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The composable index templates of the three daily index kinds, with explicit mappings: ids, names and
 * labels are {@code keyword} (exact filters and terms aggregations), statement and message texts are
 * {@code text} (match queries), times are {@code date}, measures are numeric. Dynamic mapping is off, so
 * a field added to the documents later never guesses a wrong type into an index.
 */
public final class IndexTemplates {

    /** Above this many characters a keyword is kept in {@code _source} but not indexed (Lucene's term limit). */
    static final int LONG_KEYWORD = 8191;
    /** Error messages up to this long also get an exact {@code message.raw} keyword. */
    static final int SHORT_MESSAGE = 512;
    /** Above Elasticsearch's built-in templates (priority 100 and below for its own patterns). */
    private static final long PRIORITY = 500;

    private final ElasticsearchClient client;
    private final IndexNames names;
    private final int shards;
    private final int replicas;
    private final IndexLifecycle lifecycle;

    public IndexTemplates(ElasticsearchClient client, IndexNames names, int shards, int replicas) {
        this(client, names, shards, replicas, IndexLifecycle.NONE);
    }

    public IndexTemplates(ElasticsearchClient client, IndexNames names, int shards, int replicas, IndexLifecycle lifecycle) {
        if (shards < 1 || replicas < 0) {
            throw new IllegalArgumentException("shards must be at least 1 and replicas at least 0, got " + shards + " and " + replicas);
        }
        this.client = client;
        this.names = names;
        this.shards = shards;
        this.replicas = replicas;
        this.lifecycle = lifecycle;
    }

    /**
     * Puts the lifecycle policy where the cluster has ILM, then (creates or replaces) the three templates.
     * They apply to indices created from now on.
     */
    public void ensure() throws IOException {
        var policy = lifecycle.ensure();
        for (LogIndex kind : LogIndex.values()) {
            var mappings = mappings(kind);
            client.indices().putIndexTemplate(r -> r
                    .name(names.template(kind))
                    .indexPatterns(names.pattern(kind))
                    .priority(PRIORITY)
                    .template(t -> t
                            .settings(s -> {
                                s.numberOfShards(String.valueOf(shards)).numberOfReplicas(String.valueOf(replicas));
                                policy.ifPresent(name -> s.lifecycle(l -> l.name(name)));
                                return s;
                            })
                            .mappings(m -> m.dynamic(DynamicMapping.False).properties(mappings))));
        }
    }

    /** The explicit mapping of one kind: field name to type. */
    public static Map<String, Property> mappings(LogIndex kind) {
        var p = new LinkedHashMap<String, Property>();
        p.put(TIMESTAMP, date());
        for (String f : new String[]{HOST, CLUSTER, INSTANCE, PATH, FILE_ID}) {
            p.put(f, keyword());
        }
        p.put(OFFSET, longNumber());
        switch (kind) {
            case SLOW -> {
                p.put(FINGERPRINT, longKeyword());
                p.put(QUERY_ID, keyword());
                p.put(QUERY, Property.of(b -> b.text(t -> t)));
                p.put(QUERY_BYTES, longNumber());
                p.put(TRUNCATED, Property.of(b -> b.boolean_(x -> x)));
                for (String f : new String[]{USER, CLIENT_HOST, CLIENT_IP, SCHEMA}) {
                    p.put(f, keyword());
                }
                p.put(THREAD_ID, longNumber());
                p.put(QUERY_TIME, doubleNumber());
                p.put(LOCK_TIME, doubleNumber());
                for (String f : new String[]{ROWS_SENT, ROWS_EXAMINED, ROWS_AFFECTED, BYTES_SENT}) {
                    p.put(f, longNumber());
                }
                // Kept for reading (Full_scan, explain rows…), not indexed: their names vary by server and version.
                p.put(ATTRIBUTES, Property.of(b -> b.object(o -> o.enabled(false))));
            }
            case ERRORS -> {
                for (String f : new String[]{SEVERITY, CODE, SUBSYSTEM, KIND}) {
                    p.put(f, keyword());
                }
                p.put(THREAD, longNumber());
                p.put(MESSAGE, Property.of(b -> b.text(t -> t.fields("raw", Property.of(r -> r.keyword(k -> k.ignoreAbove(SHORT_MESSAGE)))))));
            }
            case DIGESTS -> {
                p.put(SCHEMA, keyword());
                p.put(DIGEST, keyword());
                p.put(DIGEST_TEXT, Property.of(b -> b.text(t -> t)));
                p.put(FINGERPRINT, longKeyword());
                p.put(QUERY_ID, keyword());
                p.put(FROM, date());
                p.put(TO, date());
                p.put(TOTAL_SECONDS, doubleNumber());
                p.put(MAX_SECONDS, doubleNumber());
                p.put(LOCK_SECONDS, doubleNumber());
                for (String f : new String[]{COUNT, ROWS_SENT, ROWS_EXAMINED, ROWS_AFFECTED, ERRORS, WARNINGS, NO_INDEX_USED}) {
                    p.put(f, longNumber());
                }
            }
        }
        return p;
    }

    private static Property keyword() {
        return Property.of(b -> b.keyword(k -> k.ignoreAbove(1024)));
    }

    private static Property longKeyword() {
        return Property.of(b -> b.keyword(k -> k.ignoreAbove(LONG_KEYWORD)));
    }

    private static Property date() {
        return Property.of(b -> b.date(d -> d));
    }

    private static Property longNumber() {
        return Property.of(b -> b.long_(l -> l));
    }

    private static Property doubleNumber() {
        return Property.of(b -> b.double_(d -> d));
    }
}
