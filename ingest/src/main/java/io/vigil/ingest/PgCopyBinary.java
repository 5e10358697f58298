package io.vigil.ingest;

import org.postgresql.copy.CopyIn;

import java.nio.ByteBuffer;
import java.sql.SQLException;

/**
 * Streams rows of {@code samples (time, series_id, value)} in PostgreSQL's binary COPY format:
 * a fixed header, then per row a 16-bit field count and per field a 32-bit length followed by the
 * value in network byte order, then a -1 field count as trailer. Binary skips the server's text
 * parsing of every timestamp and double, which is most of the cost of a text COPY.
 */
final class PgCopyBinary implements AutoCloseable {

    static final String SQL = "COPY samples (time, series_id, value) FROM STDIN (FORMAT binary)";
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in microseconds after the Unix epoch. */
    static final long PG_EPOCH_MICROS = 946_684_800_000_000L;
    private static final int ROW_BYTES = 2 + 3 * (4 + 8);

    private final CopyIn copy;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024); // big-endian, as the format wants
    private long rows;
    private boolean finished;

    PgCopyBinary(CopyIn copy) throws SQLException {
        this.copy = copy;
        buf.put(SIGNATURE);
        buf.putInt(0); // flags: no OIDs
        buf.putInt(0); // header extension length
    }

    static long toPgMicros(long epochMillis) {
        return Math.multiplyExact(epochMillis, 1000L) - PG_EPOCH_MICROS;
    }

    void row(long pgMicros, long seriesId, double value) throws SQLException {
        if (buf.remaining() < ROW_BYTES) {
            flush();
        }
        buf.putShort((short) 3);
        buf.putInt(8).putLong(pgMicros);
        buf.putInt(8).putLong(seriesId);
        buf.putInt(8).putLong(Double.doubleToRawLongBits(value)); // NaN and ±Inf are valid float8
        rows++;
    }

    /** Ends the COPY; returns the number of rows the server took. */
    long finish() throws SQLException {
        if (buf.remaining() < 2) {
            flush();
        }
        buf.putShort((short) -1);
        flush();
        finished = true;
        long taken = copy.endCopy();
        if (taken != rows) {
            throw new SQLException("COPY into samples took " + taken + " rows, " + rows + " were sent");
        }
        return taken;
    }

    private void flush() throws SQLException {
        copy.writeToCopy(buf.array(), 0, buf.position());
        buf.clear();
    }

    /** Aborts an unfinished COPY so the connection can roll back and be reused. */
    @Override
    public void close() {
        if (!finished && copy.isActive()) {
            try {
                copy.cancelCopy();
            } catch (SQLException ignored) {
                // the connection is probably gone; the transaction rolls back either way
            }
        }
    }
}
