package io.vigil.rules;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vigil.model.Topics;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code vigil.rules.*}: the rule engine. */
@ConfigMapping(prefix = "vigil.rules")
public interface RulesConfig {

    /** Rule files or directories of {@code *.yaml}; re-read when they change. */
    Optional<List<Path>> files();

    /** Load the built-in default rule pack ({@code rules/DEFAULT-RULES.md}); a file rule of the same name replaces a default one. */
    @WithDefault("true")
    boolean defaults();

    /** Kafka consumer group of the rule engines; instances of one group share the clusters between them. */
    @WithDefault("vigil-rules")
    String consumerGroup();

    @WithDefault(Topics.SAMPLES)
    String samplesTopic();

    @WithDefault(Topics.ALERTS)
    String alertsTopic();

    /** How often every rule is evaluated even without new data: the resolution of for, recover_for and no-data. */
    @WithDefault("1s")
    Duration tick();

    /** How much recent data a starting instance replays into its window before it judges anything. */
    @WithDefault("10m")
    Duration warmup();

    /** How often rule files and API rules are checked for changes. */
    @WithDefault("2s")
    Duration reloadInterval();

    /** Alert history older than this is deleted. */
    @WithDefault("90d")
    Duration historyRetention();
}
