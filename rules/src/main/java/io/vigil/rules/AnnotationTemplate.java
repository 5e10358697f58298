package io.vigil.rules;

import io.vigil.model.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Prometheus' alert templates that rule annotations use: {@code {{ $labels.instance }}},
 * {@code {{ $value }}} and {@code {{ $value | humanize }}} (also {@code humanizeDuration},
 * {@code humanizePercentage}), and {@code {{ printf "%.1f" $value }}}. Anything else is refused when
 * the rule is loaded, so a typo is a 400 on save rather than a blank page at 3 a.m.
 */
final class AnnotationTemplate {

    private static final Pattern ACTION = Pattern.compile("\\{\\{-?\\s*(.*?)\\s*-?}}");
    private static final Pattern LABEL = Pattern.compile("\\$labels\\.([a-zA-Z_][a-zA-Z0-9_]*)");
    private static final Pattern VALUE = Pattern.compile("\\$value(?:\\s*\\|\\s*(humanize|humanizeDuration|humanizePercentage))?");
    private static final Pattern PRINTF = Pattern.compile("printf\\s+\"(%[-+ 0#]?\\d*(?:\\.\\d+)?[dfegs])\"\\s+\\$value");

    private sealed interface Part permits Text, LabelRef, ValueRef {
    }

    private record Text(String text) implements Part {
    }

    private record LabelRef(String name) implements Part {
    }

    private record ValueRef(String function, String format) implements Part {
    }

    private final List<Part> parts;

    private AnnotationTemplate(List<Part> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException naming the action that is not supported and where it is */
    static AnnotationTemplate compile(String template) {
        var parts = new ArrayList<Part>();
        Matcher m = ACTION.matcher(template);
        int last = 0;
        while (m.find()) {
            if (m.start() > last) {
                parts.add(new Text(template.substring(last, m.start())));
            }
            parts.add(action(m.group(1), m.start()));
            last = m.end();
        }
        String rest = template.substring(last);
        if (rest.contains("{{")) {
            throw new IllegalArgumentException("unclosed {{ at character " + (last + rest.indexOf("{{") + 1));
        }
        if (!rest.isEmpty()) {
            parts.add(new Text(rest));
        }
        return new AnnotationTemplate(List.copyOf(parts));
    }

    private static Part action(String body, int at) {
        Matcher label = LABEL.matcher(body);
        if (label.matches()) {
            return new LabelRef(label.group(1));
        }
        Matcher value = VALUE.matcher(body);
        if (value.matches()) {
            return new ValueRef(value.group(1), null);
        }
        Matcher printf = PRINTF.matcher(body);
        if (printf.matches()) {
            return new ValueRef(null, printf.group(1));
        }
        throw new IllegalArgumentException("unsupported template action {{ " + body + " }} at character " + (at + 1)
                + "; supported: $labels.NAME, $value, $value | humanize / humanizeDuration / humanizePercentage, printf \"%.2f\" $value");
    }

    String render(Labels labels, Double value) {
        var out = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Text t -> out.append(t.text());
                case LabelRef l -> {
                    String v = labels.get(l.name());
                    out.append(v == null ? "" : v);
                }
                case ValueRef v -> out.append(value == null ? "no data" : formatValue(v, value));
            }
        }
        return out.toString();
    }

    private static String formatValue(ValueRef ref, double v) {
        if (ref.format() != null) {
            if (!Double.isFinite(v)) {
                return format(v); // %d of NaN would print a made-up 0
            }
            char conv = ref.format().charAt(ref.format().length() - 1);
            return conv == 'd' ? String.format(Locale.ROOT, ref.format(), (long) v)
                    : conv == 's' ? String.format(Locale.ROOT, ref.format(), plain(v)) : String.format(Locale.ROOT, ref.format(), v);
        }
        if (ref.function() == null) {
            return plain(v);
        }
        return switch (ref.function()) {
            case "humanize" -> Humanize.number(v);
            case "humanizeDuration" -> Humanize.duration(v);
            default -> Humanize.percentage(v);
        };
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
