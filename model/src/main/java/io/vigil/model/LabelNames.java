package io.vigil.model;

/** Label names with a meaning across Vigil. */
public final class LabelNames {
    public static final String METRIC_NAME = "__name__";
    public static final String CLUSTER = "cluster";
    public static final String INSTANCE = "instance";
    public static final String KIND = "kind";
    public static final String ROLE = "role";
    public static final String TARGET = "target";

    private LabelNames() {
    }
}
