package io.vigil.notifier;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders an alert group for every medium in the receiver's language. Every value that came from
 * an alert (labels, annotations, links) is escaped for the medium: HTML for mail, a markdown-safe
 * form for WeChat Work; SMS and speech are plain text.
 */
public final class MessageRenderer {

    private record Words(String firing, String resolved, String severe, String normal, String alerts, String started,
                         String ended, String graph, String labels, String pressOne, String speechIntro, String acknowledge,
                         String replyToAck) {
    }

    private static final Map<Language, Words> WORDS = Map.of(
            Language.EN_US, new Words("FIRING", "RESOLVED", "SEVERE", "normal", "alerts", "started", "ended", "graph",
                    "labels", "Press 1 to acknowledge.", "Vigil alert.", "Acknowledge", "(reply 1 to ack) "),
            Language.ZH_CN, new Words("告警", "恢复", "严重", "一般", "条告警", "开始", "结束", "图表",
                    "标签", "确认请按 1。", "Vigil 告警。", "确认", "(回复1确认) "));

    private final ZoneId zone;
    private final DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");

    public MessageRenderer(ZoneId zone) {
        this.zone = zone;
    }

    public Message render(AlertGroup group, Language language) {
        Words w = WORDS.get(language);
        String headline = headline(group, w);
        return new Message(headline, shortText(group, w), text(group, w, headline), html(group, w, headline),
                markdown(group, w, headline), speech(group, w));
    }

    /** "[FIRING:2][SEVERE] MySqlReplicationLag: replica 12 minutes behind". */
    private String headline(AlertGroup group, Words w) {
        return tag(group, w) + " " + title(group);
    }

    private static String tag(AlertGroup group, Words w) {
        boolean firing = group.status() == AlertStatus.FIRING;
        int count = firing ? group.firing().size() : group.resolved().size();
        return "[" + (firing ? w.firing() : w.resolved()) + ":" + count + "]"
                + (firing && group.severity() == Severity.SEVERE ? "[" + w.severe() + "]" : "");
    }

    /** The first shown alert's name and summary: alert-controlled text. */
    private static String title(AlertGroup group) {
        Alert first = (group.status() == AlertStatus.FIRING ? group.firing() : group.resolved()).getFirst();
        return first.name() + (first.summary().isEmpty() ? "" : ": " + oneLine(first.summary()));
    }

    /** An escalation page starts with how to acknowledge it by reply: the one part a cut to one segment must keep. */
    private String shortText(AlertGroup group, Words w) {
        var sb = new StringBuilder(group.ack() != null ? w.replyToAck() : "").append(headline(group, w));
        String instance = group.alerts().getFirst().labels().get("instance");
        if (instance != null) {
            sb.append(" @").append(instance);
        }
        return sb.toString();
    }

    private String text(AlertGroup group, Words w, String headline) {
        var sb = new StringBuilder(headline).append("\n\n");
        for (Alert a : group.alerts()) {
            sb.append("- [").append(status(a, w)).append("] ").append(a.name()).append(": ").append(a.summary()).append('\n');
            if (!a.description().isEmpty()) {
                sb.append("  ").append(a.description()).append('\n');
            }
            sb.append("  ").append(w.labels()).append(": ").append(a.labels()).append('\n');
            sb.append("  ").append(w.started()).append(": ").append(format(a.startsAt())).append('\n');
            if (a.endsAt() != null) {
                sb.append("  ").append(w.ended()).append(": ").append(format(a.endsAt())).append('\n');
            }
            if (a.graphUrl() != null) {
                sb.append("  ").append(w.graph()).append(": ").append(a.graphUrl()).append('\n');
            }
        }
        if (group.ack() != null) {
            sb.append('\n').append(w.acknowledge()).append(": ").append(group.ack().url()).append('\n');
        }
        return sb.toString();
    }

    private String html(AlertGroup group, Words w, String headline) {
        Function<String, String> e = Html::escape;
        var sb = new StringBuilder("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>");
        sb.append("<h2>").append(e.apply(headline)).append("</h2><table border=\"1\" cellpadding=\"4\" cellspacing=\"0\">");
        for (Alert a : group.alerts()) {
            String color = a.status() == AlertStatus.RESOLVED ? "#2e7d32" : a.severity() == Severity.SEVERE ? "#c62828" : "#ef6c00";
            sb.append("<tr><td style=\"color:").append(color).append("\"><b>").append(e.apply(status(a, w))).append("</b></td><td>")
                    .append("<b>").append(e.apply(a.name())).append("</b>: ").append(e.apply(a.summary()));
            if (!a.description().isEmpty()) {
                sb.append("<br>").append(e.apply(a.description()));
            }
            sb.append("<br><small>");
            a.labels().asMap().forEach((k, v) -> sb.append(e.apply(k)).append("=").append(e.apply(v)).append(' '));
            sb.append("</small><br>").append(e.apply(w.started())).append(": ").append(e.apply(format(a.startsAt())));
            if (a.endsAt() != null) {
                sb.append(", ").append(e.apply(w.ended())).append(": ").append(e.apply(format(a.endsAt())));
            }
            if (Html.isSafeLink(a.graphUrl())) {
                sb.append("<br><a href=\"").append(e.apply(a.graphUrl())).append("\">").append(e.apply(w.graph())).append("</a>");
            }
            sb.append("</td></tr>");
        }
        sb.append("</table>");
        if (group.ack() != null && Html.isSafeLink(group.ack().url())) {
            sb.append("<p><a href=\"").append(e.apply(group.ack().url())).append("\"><b>").append(e.apply(w.acknowledge()))
                    .append("</b></a></p>");
        }
        return sb.append("</body></html>").toString();
    }

    /** WeChat Work markdown: {@code <font color="warning|info">} is the only colour it knows. */
    private String markdown(AlertGroup group, Words w, String headline) {
        String color = group.status() == AlertStatus.FIRING ? "warning" : "info";
        var sb = new StringBuilder("**<font color=\"").append(color).append("\">").append(tag(group, w)).append(' ')
                .append(md(title(group))).append("</font>**\n");
        for (Alert a : group.alerts()) {
            sb.append("> ").append(md(status(a, w))).append(" **").append(md(a.name())).append("**: ").append(md(a.summary())).append('\n');
            if (!a.description().isEmpty()) {
                sb.append("> ").append(md(a.description())).append('\n');
            }
            sb.append("> ").append(md(a.labels().toString())).append('\n');
            sb.append("> ").append(w.started()).append(": ").append(format(a.startsAt())).append('\n');
            if (Html.isSafeLink(a.graphUrl())) {
                sb.append("> [").append(w.graph()).append("](").append(a.graphUrl().replace(")", "%29").replace(" ", "%20")).append(")\n");
            }
        }
        if (group.ack() != null && Html.isSafeLink(group.ack().url())) {
            sb.append("[").append(w.acknowledge()).append("](").append(group.ack().url()).append(")\n");
        }
        return sb.toString();
    }

    private String speech(AlertGroup group, Words w) {
        var sb = new StringBuilder(w.speechIntro()).append(' ');
        List<Alert> firing = group.firing();
        for (Alert a : firing.isEmpty() ? group.resolved() : firing) {
            sb.append(status(a, w)).append(". ").append(a.name()).append(". ").append(oneLine(a.summary())).append(". ");
        }
        return sb.toString().trim();
    }

    String pressOne(Language language) {
        return WORDS.get(language).pressOne();
    }

    private static String status(Alert a, Words w) {
        if (a.status() == AlertStatus.RESOLVED) {
            return w.resolved();
        }
        return a.severity() == Severity.SEVERE ? w.firing() + "/" + w.severe() : w.firing();
    }

    private String format(Instant t) {
        return time.format(t.atZone(zone));
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }

    /**
     * Alert text must not add markup of its own: angle brackets would open {@code <font>} tags and
     * square brackets links, so they become their full-width look-alikes.
     */
    static String md(String s) {
        return s.replace('<', '＜').replace('>', '＞').replace('[', '［').replace(']', '］').replace('`', 'ˋ');
    }
}
