package io.vigil.collector.mongodb;

import io.vigil.collector.Scraper;
import io.vigil.model.Target;
import io.vigil.model.TargetKind;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class MongoScraperFactory implements Scraper.Factory {

    @Override
    public TargetKind kind() {
        return TargetKind.MONGODB;
    }

    @Override
    public Scraper create(Target target) {
        return new MongoScraper(target);
    }
}
