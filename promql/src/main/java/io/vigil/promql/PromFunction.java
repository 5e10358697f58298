package io.vigil.promql;

import java.util.List;
import java.util.Set;

import static io.vigil.promql.ValueType.MATRIX;
import static io.vigil.promql.ValueType.SCALAR;
import static io.vigil.promql.ValueType.VECTOR;

/** The PromQL functions Vigil evaluates: signatures as in Prometheus' {@code parser/functions.go}. */
public enum PromFunction {
    RATE("rate", VECTOR, MATRIX),
    IRATE("irate", VECTOR, MATRIX),
    INCREASE("increase", VECTOR, MATRIX),
    DELTA("delta", VECTOR, MATRIX),
    IDELTA("idelta", VECTOR, MATRIX),
    AVG_OVER_TIME("avg_over_time", VECTOR, MATRIX),
    MIN_OVER_TIME("min_over_time", VECTOR, MATRIX),
    MAX_OVER_TIME("max_over_time", VECTOR, MATRIX),
    SUM_OVER_TIME("sum_over_time", VECTOR, MATRIX),
    COUNT_OVER_TIME("count_over_time", VECTOR, MATRIX),
    LAST_OVER_TIME("last_over_time", VECTOR, MATRIX),
    QUANTILE_OVER_TIME("quantile_over_time", VECTOR, SCALAR, MATRIX),
    ABS("abs", VECTOR, VECTOR),
    CEIL("ceil", VECTOR, VECTOR),
    FLOOR("floor", VECTOR, VECTOR),
    SQRT("sqrt", VECTOR, VECTOR),
    EXP("exp", VECTOR, VECTOR),
    LN("ln", VECTOR, VECTOR),
    LOG2("log2", VECTOR, VECTOR),
    LOG10("log10", VECTOR, VECTOR),
    CLAMP("clamp", VECTOR, VECTOR, SCALAR, SCALAR),
    CLAMP_MIN("clamp_min", VECTOR, VECTOR, SCALAR),
    CLAMP_MAX("clamp_max", VECTOR, VECTOR, SCALAR),
    TIME("time", SCALAR),
    ABSENT("absent", VECTOR, VECTOR),
    VECTOR_FN("vector", VECTOR, SCALAR),
    SCALAR_FN("scalar", SCALAR, VECTOR);

    /** Prometheus 2.42's other functions: valid PromQL that Vigil refuses as not supported yet, not as unknown. */
    static final Set<String> OTHER_PROMETHEUS_FUNCTIONS = Set.of(
            "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "changes", "cos", "cosh",
            "days_in_month", "day_of_month", "day_of_week", "day_of_year", "deg", "deriv", "histogram_count",
            "histogram_fraction", "histogram_quantile", "histogram_sum", "holt_winters", "hour", "label_join",
            "label_replace", "minute", "month", "pi", "predict_linear", "present_over_time", "rad", "resets", "round",
            "sgn", "sin", "sinh", "sort", "sort_desc", "stddev_over_time", "stdvar_over_time", "tan", "tanh",
            "timestamp", "year");

    private final String promName;
    private final ValueType returnType;
    private final List<ValueType> argTypes;

    PromFunction(String promName, ValueType returnType, ValueType... argTypes) {
        this.promName = promName;
        this.returnType = returnType;
        this.argTypes = List.of(argTypes);
    }

    public String promName() {
        return promName;
    }

    public ValueType returnType() {
        return returnType;
    }

    public List<ValueType> argTypes() {
        return argTypes;
    }

    static PromFunction byName(String name) {
        for (PromFunction f : values()) {
            if (f.promName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
