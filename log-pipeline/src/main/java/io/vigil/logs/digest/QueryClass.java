package io.vigil.logs.digest;

import io.vigil.logs.slowlog.SlowLogEntry;

/** Running statistics of one fingerprint. Not thread-safe: one aggregating thread owns all classes. */
final class QueryClass {

    final String fingerprint;
    long count;
    final Metric queryTime = new Metric();
    final Metric lockTime = new Metric();
    final Metric rowsSent = new Metric();
    final Metric rowsExamined = new Metric();
    /** The slowest statement, like pt-query-digest's sample. */
    String sample;
    double sampleTime = -1;
    long sampleOffset;

    QueryClass(String fingerprint) {
        this.fingerprint = fingerprint;
    }

    void add(SlowLogEntry e) {
        count++;
        queryTime.add(e.queryTime());
        lockTime.add(e.lockTime());
        rowsSent.add(e.rowsSent());
        rowsExamined.add(e.rowsExamined());
        if (e.queryTime() > sampleTime) {
            sampleTime = e.queryTime();
            sample = e.query();
            sampleOffset = e.offset();
        }
    }
}
