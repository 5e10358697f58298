package io.vigil.model;

import java.util.Locale;

/** How loud an alert is: normal alerts go to SMS, WeChat Work and mail; severe ones call the on-call person. */
public enum Severity {
    NORMAL, SEVERE;

    /** The lower-case name used in rule files, labels and events. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static Severity parse(String s) {
        for (Severity v : values()) {
            if (v.wireName().equals(s)) {
                return v;
            }
        }
        throw new IllegalArgumentException("severity must be normal or severe, got " + (s == null ? "nothing" : "\"" + s + "\""));
    }
}
