package io.vigil.collector.logs;

import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import io.vigil.testbed.Launch;
import io.vigil.testbed.Launcher;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A server whose performance_schema is off has no digests to give: the reader says so, naming the target. */
@WithServices(DigestWithoutPerformanceSchemaTest.MariaDbWithoutPerformanceSchema.class)
class DigestWithoutPerformanceSchemaTest {

    /** A MariaDB of its own: the shared one has performance_schema on. */
    public static final class MariaDbWithoutPerformanceSchema extends MariaDb {
        @Override
        protected void start(Launcher launcher) {
            launcher.launch(Launch.of("mariadb", 1).instance("mariadb-no-perfschema")
                    .arguments(ports -> List.of(String.valueOf(ports.getFirst()), "3"))
                    .config("performance_schema=OFF\n"));
        }
    }

    @Test
    void saysThatPerformanceSchemaIsOff(MariaDbWithoutPerformanceSchema mariaDb) {
        var target = new Target("no-ps-db", TargetKind.MYSQL, "127.0.0.1:" + mariaDb.port(), null, mariaDb.rootUser(),
                Secret.NONE, Duration.ofSeconds(10), Duration.ofSeconds(5), Labels.EMPTY);
        try (var reader = new DigestReader(target)) {
            assertThatThrownBy(reader::read).hasMessageContaining("no-ps-db").hasMessageContaining("performance_schema is OFF");
        }
    }
}
