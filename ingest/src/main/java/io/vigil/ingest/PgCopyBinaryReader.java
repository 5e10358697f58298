package io.vigil.ingest;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Reads the rows of a {@code COPY (SELECT …) TO STDOUT (FORMAT binary)}: the read path's bulk
 * transfer. Binary values need no text parsing on either side, which for hundreds of thousands of
 * rows is most of the time a result set would spend; a float8 also keeps its exact bits, so a
 * staleness marker's NaN payload survives. The server's CopyData messages are parsed where they
 * lie (normally one row each); a value split across two messages is joined first.
 *
 * <p>COPY takes no bind parameters: callers inline only values they produced themselves (ids,
 * times), never user text.
 */
final class PgCopyBinaryReader implements AutoCloseable {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

    private final CopyOut copy;
    private final String what;
    private ByteBuffer buf = ByteBuffer.allocate(0);
    private int fields;
    private int field;
    private boolean done;

    /** Starts {@code COPY (query) TO STDOUT (FORMAT binary)} on {@code c}; {@code what} names it in errors. */
    PgCopyBinaryReader(Connection c, String query, String what) throws SQLException {
        this.what = what;
        this.copy = c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY (" + query + ") TO STDOUT (FORMAT binary)");
        ensure(SIGNATURE.length + 8);
        byte[] signature = new byte[SIGNATURE.length];
        buf.get(signature);
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new SQLException(what + ": not a binary COPY stream");
        }
        buf.getInt(); // flags
        int extension = buf.getInt();
        ensure(extension);
        buf.position(buf.position() + extension);
    }

    /** Moves to the next row; false at the end. */
    boolean next() throws SQLException {
        if (done) {
            return false;
        }
        ensure(2);
        short count = buf.getShort();
        if (count == -1) {
            done = true;
            return false;
        }
        fields = count;
        field = 0;
        return true;
    }

    /** The next field as int8, or {@code ifNull}. */
    long int8(long ifNull) throws SQLException {
        return length(8) < 0 ? ifNull : buf.getLong();
    }

    int int4(int ifNull) throws SQLException {
        return length(4) < 0 ? ifNull : buf.getInt();
    }

    double float8(double ifNull) throws SQLException {
        return length(8) < 0 ? ifNull : Double.longBitsToDouble(buf.getLong());
    }

    /** The next field, a timestamptz, as epoch milliseconds, or {@code ifNull}. */
    long timeMillis(long ifNull) throws SQLException {
        if (length(8) < 0) {
            return ifNull;
        }
        return Math.floorDiv(buf.getLong() + PgCopyBinary.PG_EPOCH_MICROS, 1000L);
    }

    /** Reads a field's length; unless it is NULL, makes sure its {@code size} bytes are at hand. */
    private int length(int size) throws SQLException {
        if (field++ >= fields) {
            throw new SQLException(what + ": row has " + fields + " fields, asked for field " + field);
        }
        ensure(4);
        int length = buf.getInt();
        if (length >= 0) {
            if (length != size) {
                throw new SQLException(what + ": field " + field + " has " + length + " bytes, expected " + size);
            }
            ensure(size);
        }
        return length;
    }

    /** Makes at least {@code n} bytes readable, taking further CopyData messages as needed. */
    private void ensure(int n) throws SQLException {
        while (buf.remaining() < n) {
            byte[] more = copy.readFromCopy();
            if (more == null) {
                throw new SQLException(what + " failed: the COPY stream ended in the middle of a row");
            }
            if (!buf.hasRemaining()) {
                buf = ByteBuffer.wrap(more);
            } else {
                var joined = ByteBuffer.allocate(buf.remaining() + more.length);
                joined.put(buf).put(more).flip();
                buf = joined;
            }
        }
    }

    @Override
    public void close() throws SQLException {
        if (done) {
            // Past the trailer only the end of the COPY remains; reading it completes the operation.
            while (copy.readFromCopy() != null) {
                // nothing else is expected
            }
        } else if (copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
