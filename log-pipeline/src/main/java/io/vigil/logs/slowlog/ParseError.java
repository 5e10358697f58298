package io.vigil.logs.slowlog;

/**
 * An entry the parser could not read; it was skipped and parsing went on at the next entry.
 *
 * @param source the file (or stream name) it came from
 * @param offset byte offset of the bad entry's first line
 * @param reason what was wrong; quotes at most a short, sanitised piece of the input
 */
public record ParseError(String source, long offset, String reason) {

    @Override
    public String toString() {
        return source + " at byte " + offset + ": " + reason;
    }
}
