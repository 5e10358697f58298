package io.vigil.collector;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

@ConfigMapping(prefix = "vigil.collector")
public interface CollectorConfig {

    /** YAML file with the targets to scrape; see {@link TargetsFile}. */
    Optional<String> targetsFile();

    /** Topic the scrapes go to. */
    @WithDefault("vigil.samples")
    String samplesTopic();

    /** Compacted topic of the targets managed through the API, followed at run time. */
    @WithDefault("vigil.targets")
    String targetsTopic();

    /**
     * Scrapes in flight at once (each holds a connection to its target). A scrape that finds no slot
     * free within its target's timeout reports the target down with reason "collector busy".
     */
    @WithDefault("" + ScrapeScheduler.DEFAULT_MAX_CONCURRENT_SCRAPES)
    int maxConcurrentScrapes();

    /** Consumer group of the collectors on the targets topic: collectors in one group share the fleet by partition. */
    @WithDefault("vigil-collector")
    String targetsGroup();
}
