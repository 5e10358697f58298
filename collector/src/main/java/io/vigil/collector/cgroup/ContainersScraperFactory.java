package io.vigil.collector.cgroup;

import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class ContainersScraperFactory implements Scraper.Factory {

    @Override
    public TargetKind kind() {
        return TargetKind.CONTAINERS;
    }

    @Override
    public Scraper create(Target target) {
        return new ContainersScraper(target);
    }
}
