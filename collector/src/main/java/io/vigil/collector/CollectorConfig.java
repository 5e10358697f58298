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

    /** Consumer group of the collectors on the targets topic: collectors in one group share the fleet by partition. */
    @WithDefault("vigil-collector")
    String targetsGroup();
}
