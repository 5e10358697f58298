package io.vigil.model;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelsTest {

    @Test
    void orderOfDefinitionDoesNotMatterAndEmptyValuesMeanAbsent() {
        assertThat(Labels.of("b", "2", "a", "1")).isEqualTo(Labels.of("a", "1", "b", "2", "c", ""));
        assertThat(Labels.of("b", "2", "a", "1").toString()).isEqualTo("{a=\"1\", b=\"2\"}");
    }

    @Test
    void nameRuleIsPrometheus() {
        assertThat(Labels.isValidName("__name__")).isTrue();
        assertThat(Labels.isValidName("mysql_qps_2")).isTrue();
        assertThat(Labels.isValidName("2xx")).isFalse();
        assertThat(Labels.isValidName("a:b")).isFalse();
        assertThat(Labels.isValidName("é")).isFalse();
        assertThat(Labels.isValidName("")).isFalse();
    }

    @Test
    void invalidNamesAreRefusedWithTheName() {
        assertThatThrownBy(() -> Labels.of("bad-name", "x")).hasMessageContaining("bad-name");
    }

    @Test
    void aTargetsOwnLabelsCannotOverrideItsIdentity() {
        var target = new Target("db1", TargetKind.MYSQL, "127.0.0.1:3306", "pay", "u", Secret.of("pw"),
                Duration.ofSeconds(5), Duration.ofSeconds(2), Labels.of("instance", "spoofed", "team", "dba"));
        assertThat(target.identityLabels().asMap())
                .containsEntry("instance", "127.0.0.1:3306")
                .containsEntry("cluster", "pay")
                .containsEntry("kind", "mysql")
                .containsEntry("team", "dba");
    }

    @Test
    void theBatchKeyIsTheClusterOrElseTheTarget() {
        var clustered = new SampleBatch("db1", 0, Labels.of("cluster", "pay"), java.util.List.of());
        var alone = new SampleBatch("db2", 0, Labels.EMPTY, java.util.List.of());
        assertThat(clustered.partitionKey()).isEqualTo("pay");
        assertThat(alone.partitionKey()).isEqualTo("db2");
    }

    @Test
    void passwordsNeverPrint() {
        var target = new Target("db1", TargetKind.MYSQL, "h:1", null, "u", Secret.of("hunter2"),
                Duration.ofSeconds(5), Duration.ofSeconds(2), null);
        assertThat(target.toString()).doesNotContain("hunter2").contains("******");
    }
}
