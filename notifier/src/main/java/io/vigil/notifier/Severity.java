package io.vigil.notifier;

/** Two levels only: severe pages a person (voice, escalation), normal informs. */
public enum Severity {
    NORMAL, SEVERE
}
