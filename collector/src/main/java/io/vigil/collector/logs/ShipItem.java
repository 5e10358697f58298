package io.vigil.collector.logs;

import io.vigil.logs.errorlog.ErrorLogEvent;
import io.vigil.logs.slowlog.ParseError;
import io.vigil.logs.wire.ShippedSlowQuery;

/** One thing read from a log file, at the absolute byte offset where it begins. */
public sealed interface ShipItem {

    long offset();

    record Slow(ShippedSlowQuery query) implements ShipItem {
        @Override
        public long offset() {
            return query.entry().offset();
        }
    }

    record Error(ErrorLogEvent event) implements ShipItem {
        @Override
        public long offset() {
            return event.offset();
        }
    }

    record Malformed(ParseError error) implements ShipItem {
        @Override
        public long offset() {
            return error.offset();
        }
    }
}
