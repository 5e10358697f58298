package io.vigil.rules;

import io.vigil.model.AlertState;
import io.vigil.model.LabelNames;
import io.vigil.model.Labels;
import io.vigil.model.Severity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One alert identity of one rule and its state machine. The rules that keep pagers honest:
 * <ul>
 *   <li>pending → firing only after the condition held for {@code for} without a gap; a pending
 *       alert whose condition stops holding (or whose data goes) is resolved, never having fired;</li>
 *   <li>firing → resolved only after the value met the recovery threshold (hysteresis) and stayed
 *       there for {@code recover_for}; a value between the two thresholds keeps it firing;</li>
 *   <li>missing data is never a recovery: a firing alert whose series go silent for {@code no_data.for}
 *       moves to no-data and stays active; when data returns it is judged afresh, still needing the
 *       recovery hold before it resolves;</li>
 *   <li>a restart or a partition move restores the record, so nothing is announced twice.</li>
 * </ul>
 * Not thread-safe: the engine thread owns it.
 */
final class AlertRecord {

    /** Where the record is, with INACTIVE for "known identity, nothing to say" (not stored, not published). */
    enum Phase {
        INACTIVE, PENDING, FIRING, NODATA
    }

    private final String fingerprint;
    private final String rule;
    private final Labels identity;
    private Phase phase = Phase.INACTIVE;
    private Severity severity;
    private Double value;
    private long activeAt;
    private long firedAt;
    private long recoveringSince;
    private long lastSeen;
    /** When this process took the record over (restored): silence is counted from here at the earliest. */
    private long clockStart;

    AlertRecord(String rule, Labels identity, long now) {
        this.rule = rule;
        this.identity = identity;
        this.fingerprint = fingerprint(rule, identity);
    }

    /** A record restored from storage: data has not been seen by this process yet; the no-data clock starts now. */
    static AlertRecord restore(AlertSnapshot s, long now) {
        var r = new AlertRecord(s.rule(), s.identity(), now);
        r.phase = switch (s.state()) {
            case PENDING -> Phase.PENDING;
            case FIRING -> Phase.FIRING;
            case NODATA -> Phase.NODATA;
            case RESOLVED -> Phase.INACTIVE;
        };
        r.severity = s.severity();
        r.value = s.value();
        r.activeAt = s.activeAtMillis();
        r.firedAt = s.firedAtMillis();
        r.recoveringSince = s.recoveringSinceMillis();
        r.lastSeen = s.lastSeenMillis();
        r.clockStart = now;
        return r;
    }

    String fingerprint() {
        return fingerprint;
    }

    Labels identity() {
        return identity;
    }

    Phase phase() {
        return phase;
    }

    boolean isInactive() {
        return phase == Phase.INACTIVE;
    }

    long lastSeen() {
        return lastSeen;
    }

    /** The identity had data at {@code now}. */
    List<AlertSnapshot> observe(CompiledRule rule, Observation o, long now) {
        var out = new ArrayList<AlertSnapshot>(1);
        RuleSpec spec = rule.spec();
        lastSeen = now;
        value = o.value();
        boolean recovered = spec.recover() != null ? spec.recover().holds(o.value()) : !o.firing();
        switch (phase) {
            case INACTIVE -> {
                if (o.firing()) {
                    activeAt = now;
                    severity = spec.severity();
                    recoveringSince = 0;
                    if (spec.forMillis() == 0) {
                        fire(rule, now, null, out);
                    } else {
                        phase = Phase.PENDING;
                        out.add(snapshot(rule, AlertState.PENDING, null, now));
                    }
                }
            }
            case PENDING -> {
                if (!o.firing()) {
                    // The for-clock restarts. Pending was published, so its end is too: a reader of the
                    // alert table must not keep a pending alert that no longer is.
                    phase = Phase.INACTIVE;
                    out.add(snapshot(rule, AlertState.RESOLVED, AlertState.PENDING, now));
                } else if (now - activeAt >= spec.forMillis()) {
                    fire(rule, now, AlertState.PENDING, out);
                }
            }
            case FIRING -> firingObserved(rule, o, recovered, now, out);
            case NODATA -> {
                if (firedAt == 0) {
                    // A no-data alert of its own: data is back, so it resolves; the condition starts afresh.
                    phase = Phase.INACTIVE;
                    out.add(snapshot(rule, AlertState.RESOLVED, AlertState.NODATA, now));
                    if (o.firing()) {
                        out.addAll(observe(rule, o, now));
                    }
                } else {
                    phase = Phase.FIRING;
                    out.add(snapshot(rule, AlertState.FIRING, AlertState.NODATA, now));
                    recoveringSince = 0;
                    firingObserved(rule, o, recovered, now, out);
                }
            }
        }
        return out;
    }

    private void fire(CompiledRule rule, long now, AlertState previous, List<AlertSnapshot> out) {
        phase = Phase.FIRING;
        firedAt = now;
        recoveringSince = 0;
        out.add(snapshot(rule, AlertState.FIRING, previous, now));
    }

    private void firingObserved(CompiledRule rule, Observation o, boolean recovered, long now, List<AlertSnapshot> out) {
        RuleSpec spec = rule.spec();
        if (o.firing() || !recovered) {
            recoveringSince = 0; // in the hysteresis band or firing again: the recovery hold restarts
            RuleSpec.Escalation esc = spec.escalation();
            if (esc != null && severity != esc.to() && now - firedAt >= esc.afterMillis()) {
                severity = esc.to();
                out.add(snapshot(rule, AlertState.FIRING, AlertState.FIRING, now));
            }
            return;
        }
        if (recoveringSince == 0) {
            recoveringSince = now;
        }
        if (now - recoveringSince >= spec.recoverForMillis()) {
            phase = Phase.INACTIVE;
            out.add(snapshot(rule, AlertState.RESOLVED, AlertState.FIRING, now));
        }
    }

    /** The identity had no data at {@code now}; {@code seesAbsence} false means "absent is fine" (bare expressions). */
    List<AlertSnapshot> absent(CompiledRule rule, boolean seesAbsence, long now) {
        if (!seesAbsence) {
            return observe(rule, new Observation(Double.NaN, false), now);
        }
        long silentFor = now - Math.max(lastSeen, clockStart);
        RuleSpec.NoData noData = rule.spec().noData();
        switch (phase) {
            case PENDING -> {
                phase = Phase.INACTIVE;
                return List.of(snapshot(rule, AlertState.RESOLVED, AlertState.PENDING, now));
            }
            case FIRING -> {
                if (silentFor >= noData.forMillis()) {
                    phase = Phase.NODATA;
                    value = null;
                    recoveringSince = 0;
                    return List.of(snapshot(rule, AlertState.NODATA, AlertState.FIRING, now));
                }
            }
            case INACTIVE -> {
                if (noData.alert() && silentFor >= noData.forMillis()) {
                    phase = Phase.NODATA;
                    value = null;
                    severity = noData.severity();
                    activeAt = lastSeen > 0 ? lastSeen : now;
                    firedAt = 0;
                    return List.of(snapshot(rule, AlertState.NODATA, null, now));
                }
            }
            case NODATA -> {
            }
        }
        return List.of();
    }

    /** The rule went away or changed: an active alert resolves rather than hang forever. */
    List<AlertSnapshot> retire(CompiledRule rule, long now) {
        if (phase == Phase.FIRING || phase == Phase.NODATA) {
            AlertState was = phase == Phase.FIRING ? AlertState.FIRING : AlertState.NODATA;
            phase = Phase.INACTIVE;
            return List.of(snapshot(rule, AlertState.RESOLVED, was, now));
        }
        phase = Phase.INACTIVE;
        return List.of();
    }

    private AlertSnapshot snapshot(CompiledRule rule, AlertState state, AlertState previous, long now) {
        RuleSpec spec = rule.spec();
        Labels labels = identity.merge(Labels.of(spec.labels()))
                .with("alertname", spec.name())
                .with("severity", severity.wireName());
        Double v = state == AlertState.NODATA ? null : value;
        return new AlertSnapshot(fingerprint, this.rule, identity, labels, state, previous, severity, v,
                rule.annotations(labels, v), activeAt, state == AlertState.PENDING ? 0 : firedAt,
                state == AlertState.RESOLVED ? now : 0, recoveringSince, lastSeen, now, rule.queryFor(identity));
    }

    /** The current state for storage (null while inactive: nothing to keep). */
    AlertSnapshot current(CompiledRule rule, long now) {
        return switch (phase) {
            case INACTIVE -> null;
            case PENDING -> snapshot(rule, AlertState.PENDING, AlertState.PENDING, now);
            case FIRING -> snapshot(rule, AlertState.FIRING, AlertState.FIRING, now);
            case NODATA -> snapshot(rule, AlertState.NODATA, AlertState.NODATA, now);
        };
    }

    static String fingerprint(String rule, Labels identity) {
        try {
            var md = MessageDigest.getInstance("SHA-256");
            md.update(rule.getBytes(StandardCharsets.UTF_8));
            for (Map.Entry<String, String> e : identity.asMap().entrySet()) {
                if (e.getKey().equals(LabelNames.METRIC_NAME)) {
                    continue;
                }
                md.update((byte) 0);
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 1);
                md.update(e.getValue().getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
