package io.vigil.collector.mysql;

import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MySqlScraperFactory implements Scraper.Factory {

    @Override
    public TargetKind kind() {
        return TargetKind.MYSQL;
    }

    @Override
    public Scraper create(Target target) {
        return new MySqlScraper(target);
    }
}
