package io.vigil.promql;

/** PromQL's expression types, named as Prometheus names them in its type errors. */
public enum ValueType {
    SCALAR("scalar"), VECTOR("instant vector"), MATRIX("range vector"), STRING("string");

    private final String promName;

    ValueType(String promName) {
        this.promName = promName;
    }

    /** As in Prometheus' messages: {@code expected type range vector …}. */
    public String promName() {
        return promName;
    }
}
