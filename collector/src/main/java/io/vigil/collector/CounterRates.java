package io.vigil.collector;

import io.vigil.model.Labels;
import io.vigil.model.Sample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the counters of one target into per-second rates between consecutive scrapes.
 *
 * <p>Reset-safe: a counter that goes down (server restart, FLUSH STATUS) starts a new run and
 * yields no rate for that interval, rather than a huge negative or a made-up value. The first
 * scrape of a run yields no rate either: one point is not a rate.
 */
public final class CounterRates {

    private record Key(String metric, Labels labels) {
    }

    private record Last(double value, long timeMillis) {
    }

    private final Map<Key, Last> last = new HashMap<>();

    /** Gauges pass through; counters become rates named as read. Not thread-safe: one per target. */
    public List<Sample> apply(List<Reading> readings, long timeMillis) {
        var out = new ArrayList<Sample>(readings.size());
        for (Reading r : readings) {
            if (!r.counter()) {
                out.add(new Sample(r.metric(), r.labels(), r.value()));
                continue;
            }
            var key = new Key(r.metric(), r.labels());
            Last previous = last.put(key, new Last(r.value(), timeMillis));
            if (previous == null || r.value() < previous.value() || timeMillis <= previous.timeMillis()) {
                continue;
            }
            double seconds = (timeMillis - previous.timeMillis()) / 1000.0;
            out.add(new Sample(r.metric(), r.labels(), (r.value() - previous.value()) / seconds));
        }
        return out;
    }

    /** Forget every counter: after a failed scrape the next good one starts a new run. */
    public void reset() {
        last.clear();
    }
}
