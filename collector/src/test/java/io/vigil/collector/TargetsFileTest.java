package io.vigil.collector;

import io.vigil.model.TargetKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetsFileTest {

    @TempDir
    Path dir;

    private final TargetsFile reader = new TargetsFile(Map.of("PAY_PW", "s3cret")::get);

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("targets.yaml"), yaml);
    }

    @Test
    void readsTargetsWithDefaultsAndSecretsFromTheEnvironment() throws IOException {
        var targets = reader.load(write("""
                defaults: {interval: 15s, timeout: 4s}
                targets:
                  - id: pay-db-1
                    kind: mysql
                    address: 10.0.0.1:3306
                    cluster: pay
                    user: vigil
                    password_env: PAY_PW
                    labels: {service: pay, idc: sh1}
                  - id: pay-db-2
                    kind: MySQL
                    address: 10.0.0.2:3306
                    interval: 5s
                """));
        assertThat(targets).hasSize(2);
        var first = targets.get(0);
        assertThat(first.kind()).isEqualTo(TargetKind.MYSQL);
        assertThat(first.password().reveal()).isEqualTo("s3cret");
        assertThat(first.interval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(first.identityLabels().asMap()).containsEntry("cluster", "pay").containsEntry("idc", "sh1");
        assertThat(targets.get(1).interval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(targets.get(1).timeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void reportsEveryProblemWithItsFieldAndNeverThePassword() throws IOException {
        Path file = write("""
                targets:
                  - id: a
                    kind: oracle
                    address: nohost
                  - id: a
                    kind: mysql
                    address: h:1
                    password: hunter2
                    pasword_env: X
                  - kind: mysql
                    address: h:2
                    interval: 5s
                    timeout: 10s
                    password_env: MISSING
                  - id: node-1-containers
                    kind: containers
                    address: sys/fs/cgroup
                  - id: node-2-containers
                    kind: containers
                    address: /sys/fs/cgroup
                """);
        assertThatThrownBy(() -> reader.load(file))
                .isInstanceOf(TargetsFile.InvalidTargetsException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("targets[0].kind: unknown target kind 'oracle'")
                .hasMessageContaining("targets[0].address: 'nohost' must be host:port")
                .hasMessageContaining("targets[1].id: 'a' is used by another target")
                .hasMessageContaining("targets[1].pasword_env: unknown field")
                .hasMessageContaining("targets[2].id: required")
                .hasMessageContaining("targets[2].timeout: 10s is longer than the interval 5s")
                .hasMessageContaining("targets[2].password_env: environment variable MISSING is not set")
                .hasMessageContaining("targets[3].address: 'sys/fs/cgroup' must be an absolute path (the cgroup mount root, e.g. /sys/fs/cgroup)")
                .message().doesNotContain("hunter2", "targets[4]");
    }

    @Test
    void aFileThatIsNotYamlSaysSo() throws IOException {
        Path file = write("targets: [ {id: a,");
        assertThatThrownBy(() -> reader.load(file)).hasMessageContaining(file + ": cannot read");
    }
}
