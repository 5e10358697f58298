package io.vigil.notifier;

public enum AlertStatus {
    FIRING, RESOLVED
}
