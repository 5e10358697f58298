package io.vigil.notifier;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The role bean constructed as CDI would: the table always, the worker only with the notifier role. */
@WithServices(Postgres.class)
class NotifierRoleTest {

    private final DataSource ds;

    NotifierRoleTest(Postgres postgres) {
        ds = TestDb.fresh(postgres, "notifier_role");
    }

    private static NotifierConfig config() {
        return new SmallRyeConfigBuilder().withConverter(Duration.class, 200, new DurationConverter())
                .withMapping(NotifierConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("vigil.notifier.worker.poll-interval", "50ms"), "test", 100))
                .build().getConfigMapping(NotifierConfig.class);
    }

    @Test
    void startsTheWorkerOnlyWithTheNotifierRole() {
        var without = new NotifierRole(ds, config(), "collector,ingest", Optional.empty());
        without.start();
        assertThat(without.worker()).isEmpty();
        assertThat(without.outbox().recent(Optional.empty(), 5)).isEmpty();
        without.stop();

        var with = new NotifierRole(ds, config(), "all", Optional.empty());
        with.start(); // the table exists already: ensuring it again is harmless
        try {
            assertThat(with.worker()).isPresent();
        } finally {
            with.stop();
        }
        assertThat(with.worker()).isEmpty();
    }
}
