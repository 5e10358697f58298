package io.vigil.logs.slowlog;

import java.util.List;

/**
 * Outcome of one parse.
 *
 * @param entries    entries delivered
 * @param errorCount every bad entry, even past the kept list
 * @param errors     the first {@link SlowLogParser#MAX_KEPT_ERRORS} errors
 * @param bytes      bytes read
 */
public record ParseStats(long entries, long errorCount, List<ParseError> errors, long bytes) {

    public ParseStats {
        errors = List.copyOf(errors);
    }
}
