package io.vigil.ingest;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Reads the rows of a {@code COPY (SELECT …) TO STDOUT (FORMAT binary)}: the read path's bulk
 * transfer. Binary values need no text parsing on either side, which for hundreds of thousands of
 * rows is most of the time a result set would spend; a float8 also keeps its exact bits, so a
 * staleness marker's NaN payload survives.
 *
 * <p>COPY takes no bind parameters: callers inline only values they produced themselves (ids,
 * times), never user text.
 */
final class PgCopyBinaryReader implements AutoCloseable {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final PGCopyInputStream copy;
    private final DataInputStream in;
    private final String what;
    private int fields;
    private int field;
    private boolean done;

    /** Starts {@code COPY (query) TO STDOUT (FORMAT binary)} on {@code c}; {@code what} names it in errors. */
    PgCopyBinaryReader(Connection c, String query, String what) throws SQLException {
        this.what = what;
        this.copy = new PGCopyInputStream(c.unwrap(PGConnection.class), "COPY (" + query + ") TO STDOUT (FORMAT binary)");
        this.in = new DataInputStream(new BufferedInputStream(copy, 64 * 1024));
        try {
            byte[] signature = new byte[SIGNATURE.length];
            in.readFully(signature);
            if (!Arrays.equals(signature, SIGNATURE)) {
                throw new SQLException(what + ": not a binary COPY stream");
            }
            in.readInt(); // flags
            in.skipNBytes(in.readInt()); // header extension
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** Moves to the next row; false at the end. */
    boolean next() throws SQLException {
        if (done) {
            return false;
        }
        try {
            short count = in.readShort();
            if (count == -1) {
                done = true;
                return false;
            }
            fields = count;
            field = 0;
            return true;
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The next field as int8, or {@code ifNull}. */
    long int8(long ifNull) throws SQLException {
        int length = length();
        if (length < 0) {
            return ifNull;
        }
        try {
            return in.readLong();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    int int4(int ifNull) throws SQLException {
        int length = length();
        if (length < 0) {
            return ifNull;
        }
        try {
            return in.readInt();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    double float8(double ifNull) throws SQLException {
        int length = length();
        if (length < 0) {
            return ifNull;
        }
        try {
            return Double.longBitsToDouble(in.readLong());
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /** The next field, a timestamptz, as epoch milliseconds, or {@code ifNull}. */
    long timeMillis(long ifNull) throws SQLException {
        long micros = int8(Long.MIN_VALUE);
        if (micros == Long.MIN_VALUE) {
            return ifNull;
        }
        return Math.floorDiv(micros + PgCopyBinary.PG_EPOCH_MICROS, 1000L);
    }

    private int length() throws SQLException {
        if (field++ >= fields) {
            throw new SQLException(what + ": row has " + fields + " fields, asked for field " + field);
        }
        try {
            return in.readInt();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    private SQLException failure(IOException e) {
        if (e.getCause() instanceof SQLException sql) {
            return new SQLException(what + " failed: " + sql.getMessage(), sql.getSQLState(), sql);
        }
        return new SQLException(what + " failed: " + (e instanceof EOFException ? "the stream ended early" : e.getMessage()), e);
    }

    @Override
    public void close() throws SQLException {
        try {
            if (done) {
                // Past the trailer only the end of the COPY remains; reading it completes the operation.
                while (in.read() != -1) {
                    // nothing else is expected
                }
            } else if (copy.isActive()) {
                copy.cancelCopy();
            }
            copy.close();
        } catch (IOException e) {
            throw failure(e);
        }
    }
}
