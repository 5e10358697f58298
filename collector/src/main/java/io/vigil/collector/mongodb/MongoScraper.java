package io.vigil.collector.mongodb;

import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCommandException;
import com.mongodb.MongoCredential;
import com.mongodb.MongoException;
import com.mongodb.MongoSecurityException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ReadPreference;
import com.mongodb.ServerAddress;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.connection.ClusterConnectionMode;
import io.vigil.collector.Reading;
import io.vigil.collector.ScrapeException;
import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One mongod through the MongoDB Java driver, connected directly (never following the replica set
 * elsewhere): {@code serverStatus} every scrape, and for a replica-set member {@code replSetGetStatus}
 * and the oplog's first and last entries. The client is kept between scrapes and dropped after a failure.
 * The monitoring user needs the {@code clusterMonitor} role (and read on {@code local} for the oplog window).
 */
public final class MongoScraper implements Scraper {

    private final Target target;
    private MongoClient client;

    public MongoScraper(Target target) {
        this.target = target;
    }

    @Override
    public List<Reading> scrape() throws ScrapeException {
        var out = new ArrayList<Reading>();
        try {
            MongoDatabase admin = client().getDatabase("admin");
            Document status = admin.runCommand(new Document("serverStatus", 1));
            MongoStatusMetrics.serverStatus(status, out);
            if (MongoStatusMetrics.inReplicaSet(status)) {
                MongoStatusMetrics.replSetStatus(admin.runCommand(new Document("replSetGetStatus", 1)), out);
                var oplog = client().getDatabase("local").getCollection("oplog.rs");
                MongoStatusMetrics.oplogWindow(oplog.find().sort(new Document("$natural", 1)).limit(1).first(),
                        oplog.find().sort(new Document("$natural", -1)).limit(1).first(), out);
            }
            return out;
        } catch (MongoException e) {
            close();
            throw new ScrapeException(describe(e), e);
        }
    }

    /** An operator's message: what failed and where, never the password (the driver's own messages are not used for credentials). */
    private String describe(MongoException e) {
        String where = "target " + target.id() + " (" + target.address() + "): ";
        if (e instanceof MongoSecurityException) {
            return where + "authentication failed for user '" + target.user() + "' (check the user, its password and the clusterMonitor role)";
        }
        if (e instanceof MongoSocketReadTimeoutException) {
            return where + "no answer within " + target.timeout().toMillis() + " ms";
        }
        if (e instanceof MongoTimeoutException) {
            return where + "not reachable within " + target.timeout().toMillis() + " ms (refused, unresolvable or not answering)";
        }
        if (e instanceof MongoCommandException c) {
            return where + "command refused: " + c.getErrorCodeName() + " (" + c.getErrorCode() + "): " + c.getErrorMessage();
        }
        if (e instanceof MongoSocketException) {
            return where + "connection failed: " + e.getMessage();
        }
        return where + e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private MongoClient client() {
        if (client == null) {
            String address = target.address();
            int colon = address.lastIndexOf(':');
            var server = new ServerAddress(address.substring(0, colon).replace("[", "").replace("]", ""),
                    Integer.parseInt(address.substring(colon + 1)));
            long timeout = target.timeout().toMillis();
            var settings = MongoClientSettings.builder()
                    .applicationName("vigil")
                    .applyToClusterSettings(b -> b.hosts(List.of(server)).mode(ClusterConnectionMode.SINGLE)
                            .serverSelectionTimeout(timeout, TimeUnit.MILLISECONDS))
                    .applyToSocketSettings(b -> b.connectTimeout((int) timeout, TimeUnit.MILLISECONDS)
                            .readTimeout((int) timeout, TimeUnit.MILLISECONDS))
                    .applyToConnectionPoolSettings(b -> b.maxSize(1).maxWaitTime(timeout, TimeUnit.MILLISECONDS))
                    // Secondaries answer reads too: the oplog window is read on every member.
                    .readPreference(ReadPreference.primaryPreferred());
            if (!target.user().isEmpty()) {
                settings.credential(MongoCredential.createCredential(target.user(), "admin", target.password().reveal().toCharArray()));
            }
            client = MongoClients.create(settings.build());
        }
        return client;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
