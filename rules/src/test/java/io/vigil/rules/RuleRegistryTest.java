package io.vigil.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rule files as config as code: hot reload, and a bad edit that never unloads the rules in force. */
class RuleRegistryTest {

    private static final String ONE = """
            rules:
              - name: Lag
                expr: mysql_replication_lag_seconds > 30
            """;

    /** Writes and moves the modification time forward, as an editor saving twice in a second must still be seen. */
    private static void write(Path f, String text, int secondsLater) throws Exception {
        Files.writeString(f, text);
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(secondsLater)));
    }

    private static List<String> names(RuleRegistry r) {
        return r.snapshot().rules().stream().map(CompiledRule::name).toList();
    }

    @Test
    void aDirectoryOfFilesIsReloadedOnChangeAndABadEditKeepsTheLastGoodRules(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("mysql.yaml");
        write(f, ONE, 0);
        Files.writeString(dir.resolve("notes.txt"), "not a rule file");
        var registry = new RuleRegistry(List.of(dir), false, null);
        registry.refresh();
        assertThat(names(registry)).containsExactly("Lag");
        long v1 = registry.snapshot().version();

        registry.refresh();
        assertThat(registry.snapshot().version()).as("nothing changed, nothing reloaded").isEqualTo(v1);

        write(f, ONE + "  - name: Threads\n    expr: mysql_threads_running > 64\n", 1);
        registry.refresh();
        assertThat(names(registry)).containsExactly("Lag", "Threads");

        write(f, ONE.replace("> 30", "> > 30"), 2);
        registry.refresh();
        assertThat(names(registry)).as("the last good version stays in force").containsExactly("Lag", "Threads");
        assertThat(registry.problems().get("file:" + f)).singleElement().asString()
                .startsWith(f + ":3:11: rule Lag: expr: 1:33: parse error:");

        write(f, ONE, 3);
        registry.refresh();
        assertThat(names(registry)).containsExactly("Lag");
        assertThat(registry.problems()).isEmpty();

        Files.delete(f);
        registry.refresh();
        assertThat(names(registry)).isEmpty();
    }

    @Test
    void aFileRuleReplacesTheDefaultOfTheSameName(@TempDir Path dir) throws Exception {
        var defaults = new RuleRegistry(List.of(), true, null);
        defaults.refresh();
        assertThat(defaults.snapshot().rules()).isNotEmpty();
        CompiledRule someDefault = defaults.snapshot().rules().getFirst();

        Path f = dir.resolve("tuning.yaml");
        write(f, "rules:\n  - name: " + someDefault.name() + "\n    expr: up == 0\n    for: 10m\n", 0);
        var registry = new RuleRegistry(List.of(f), true, null);
        registry.refresh();
        assertThat(registry.snapshot().rules()).hasSameSizeAs(defaults.snapshot().rules());
        CompiledRule tuned = registry.snapshot().rules().stream().filter(r -> r.name().equals(someDefault.name())).findFirst().orElseThrow();
        assertThat(tuned.spec().source()).isEqualTo(f.toString());
        assertThat(tuned.spec().forMillis()).isEqualTo(600_000);
        assertThat(registry.fromFiles(someDefault.name())).isSameAs(tuned);
    }
}
