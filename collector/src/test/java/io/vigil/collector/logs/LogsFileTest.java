package io.vigil.collector.logs;

import io.vigil.logs.wire.LogKind;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The logs file as an operator writes it: what it declares, and every mistake named by field. */
class LogsFileTest {

    private static final Target PAY = new Target("pay-db-1", TargetKind.MYSQL, "10.0.0.1:3306", "pay", "vigil",
            Secret.of("pw"), Duration.ofSeconds(10), Duration.ofSeconds(5), Labels.EMPTY);
    private static final Target CACHE = new Target("cache-1", TargetKind.REDIS, "10.0.0.9:6379", "cache", "",
            Secret.NONE, Duration.ofSeconds(10), Duration.ofSeconds(5), Labels.EMPTY);

    @TempDir
    Path dir;

    private LogsFile.Plan load(String yaml) throws Exception {
        Path file = dir.resolve("logs.yaml");
        Files.writeString(file, yaml);
        return new LogsFile().load(file, Map.of(PAY.id(), PAY, CACHE.id(), CACHE));
    }

    @Test
    void readsFilesAndDigestSources() throws Exception {
        var plan = load("""
                host: db-host-7
                files:
                  - {path: /var/lib/mysql/slow.log, kind: slow, instance: 10.0.0.1:3306, cluster: pay}
                  - path: /var/log/mysql/error.log
                    kind: error
                    instance: 10.0.0.1:3306
                digests:
                  - {target: pay-db-1, interval: 30s}
                  - {target: pay-db-1}
                """);
        assertThat(plan.host()).isEqualTo("db-host-7");
        assertThat(plan.files()).containsExactly(
                new LogsFile.FileSpec(Path.of("/var/lib/mysql/slow.log"), LogKind.SLOW, "10.0.0.1:3306", "pay"),
                new LogsFile.FileSpec(Path.of("/var/log/mysql/error.log"), LogKind.ERROR, "10.0.0.1:3306", null));
        assertThat(plan.digests()).containsExactly(new LogsFile.DigestSpec(PAY, Duration.ofSeconds(30)),
                new LogsFile.DigestSpec(PAY, LogsFile.DEFAULT_DIGEST_INTERVAL));
    }

    @Test
    void hostAndDigestsAreOptional() throws Exception {
        var plan = load("files: [{path: /data/slow.log, kind: slow, instance: db1:3306}]\n");
        assertThat(plan.host()).isNull();
        assertThat(plan.digests()).isEmpty();
        assertThat(plan.files()).hasSize(1);
    }

    @Test
    void listsEveryProblemWithItsField() {
        assertThatThrownBy(() -> load("""
                hosts: x
                files:
                  - {path: relative/slow.log, kind: slow, instance: db1:3306}
                  - {path: /data/slow.log, kind: general, instance: db1:3306, colour: red}
                  - {path: /data/error.log, kind: error}
                  - {path: /data/x.log, kind: slow, instance: db1:3306}
                  - {path: /data/x.log, kind: error, instance: db1:3306}
                digests:
                  - {target: nope}
                  - {target: cache-1}
                  - {target: pay-db-1, interval: soon}
                """))
                .isInstanceOf(LogsFile.InvalidLogsFileException.class)
                .hasMessageContaining("logs.yaml: 9 problem(s)")
                .hasMessageContaining("hosts: unknown field")
                .hasMessageContaining("files[0].path: 'relative/slow.log' must be an absolute path")
                .hasMessageContaining("files[1].colour: unknown field")
                .hasMessageContaining("files[1].kind: 'general' is not slow or error")
                .hasMessageContaining("files[2].instance: required")
                .hasMessageContaining("files[4].path: /data/x.log is listed twice")
                .hasMessageContaining("digests[0].target: no target 'nope' in the targets file")
                .hasMessageContaining("digests[1].target: 'cache-1' is a redis target; digests need a mysql one")
                .hasMessageContaining("digests[2].interval: invalid duration 'soon'")
                .hasMessageNotContaining("pw");
    }
}
