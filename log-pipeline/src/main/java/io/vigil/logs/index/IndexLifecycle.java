package io.vigil.logs.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Where the cluster has index lifecycle management (a full Elasticsearch 8.x), a policy that deletes each
 * daily index {@code days} after it was created, named in the templates, so the cluster expires indices
 * even while no Vigil runs. {@link IndexRetention} stays the rule everywhere: builds without ILM (the
 * test bed's) and users without the {@code manage_ilm} privilege get no policy, and that is fine.
 */
public class IndexLifecycle {

    /** No policy: retention is {@link IndexRetention}'s alone. */
    public static final IndexLifecycle NONE = new IndexLifecycle() {
        @Override
        public Optional<String> ensure() {
            return Optional.empty();
        }
    };

    private static final Logger LOG = Logger.getLogger(IndexLifecycle.class);

    private final ElasticsearchClient client;
    private final IndexNames names;
    private final int days;

    private IndexLifecycle() {
        this.client = null;
        this.names = null;
        this.days = 0;
    }

    public IndexLifecycle(ElasticsearchClient client, IndexNames names, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("log retention must be at least 1 day, got " + days);
        }
        this.client = client;
        this.names = names;
        this.days = days;
    }

    /**
     * Puts the policy where ILM exists.
     *
     * @return the policy's name, or empty where the cluster has no ILM or refuses the policy
     * @throws IOException when Elasticsearch cannot be reached (try again later)
     */
    public Optional<String> ensure() throws IOException {
        String policy = names.prefix() + "-logs-retention";
        try {
            client.ilm().getStatus();
        } catch (ElasticsearchException | TransportException e) {
            if (serverFailure(e)) {
                throw new IOException("Elasticsearch failed while asked whether it has ILM: " + e.getMessage(), e);
            }
            LOG.infof("Elasticsearch has no index lifecycle management (%s); Vigil deletes expired log indices itself",
                    e.getMessage());
            return Optional.empty();
        }
        try {
            client.ilm().putLifecycle(p -> p.name(policy).policy(ilm -> ilm.phases(phases -> phases
                    .delete(d -> d.minAge(t -> t.time(days + "d")).actions(a -> a.delete(x -> x))))));
            return Optional.of(policy);
        } catch (ElasticsearchException | TransportException e) {
            if (serverFailure(e)) {
                throw new IOException("Elasticsearch failed to store the lifecycle policy " + policy + ": " + e.getMessage(), e);
            }
            LOG.warnf("Elasticsearch refused the lifecycle policy %s (%s); Vigil deletes expired log indices itself",
                    policy, e.getMessage());
            return Optional.empty();
        }
    }

    /** Overloaded or failing (try again) rather than "no such API" or "not allowed" (go on without). */
    private static boolean serverFailure(Exception e) {
        int status = switch (e) {
            case ElasticsearchException es -> es.status();
            case TransportException te -> te.statusCode();
            default -> 500;
        };
        return status == 429 || status >= 500 && status != 501;
    }
}
