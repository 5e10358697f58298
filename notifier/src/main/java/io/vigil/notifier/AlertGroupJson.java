package io.vigil.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vigil.model.Labels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;
import java.util.TreeMap;

/** The alert group as JSON: the outbox payload and the webhook body share this one shape. */
final class AlertGroupJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertGroupJson() {
    }

    static ObjectNode write(AlertGroup group) {
        ObjectNode root = JSON.createObjectNode();
        root.put("groupKey", group.groupKey());
        labels(root.putObject("groupLabels"), group.labels());
        if (group.ack() != null) {
            root.putObject("ack").put("escalationId", group.ack().escalationId()).put("url", group.ack().url());
        }
        var alerts = root.putArray("alerts");
        for (Alert a : group.alerts()) {
            ObjectNode o = alerts.addObject();
            o.put("status", a.status().name().toLowerCase(Locale.ROOT));
            o.put("severity", a.severity().name().toLowerCase(Locale.ROOT));
            labels(o.putObject("labels"), a.labels());
            var annotations = o.putObject("annotations");
            annotations.put("summary", a.summary());
            annotations.put("description", a.description());
            o.put("startsAt", a.startsAt().toString());
            if (a.endsAt() != null) {
                o.put("endsAt", a.endsAt().toString());
            }
            if (a.graphUrl() != null) {
                o.put("graphUrl", a.graphUrl());
            }
        }
        return root;
    }

    static String toJson(AlertGroup group) {
        return write(group).toString();
    }

    static AlertGroup fromJson(String json) {
        try {
            return read(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException("malformed alert group JSON", e);
        }
    }

    static AlertGroup read(JsonNode root) {
        var alerts = new ArrayList<Alert>();
        for (JsonNode o : root.path("alerts")) {
            alerts.add(new Alert(labels(o.path("labels")),
                    AlertStatus.valueOf(o.path("status").asText().toUpperCase(Locale.ROOT)),
                    Severity.valueOf(o.path("severity").asText().toUpperCase(Locale.ROOT)),
                    o.path("annotations").path("summary").asText(""),
                    o.path("annotations").path("description").asText(""),
                    Instant.parse(o.path("startsAt").asText()),
                    o.hasNonNull("endsAt") ? Instant.parse(o.get("endsAt").asText()) : null,
                    o.hasNonNull("graphUrl") ? o.get("graphUrl").asText() : null));
        }
        JsonNode ack = root.path("ack");
        return new AlertGroup(root.path("groupKey").asText(), labels(root.path("groupLabels")), alerts,
                ack.isObject() ? new AlertGroup.Ack(ack.path("escalationId").asLong(), ack.path("url").asText()) : null);
    }

    private static void labels(ObjectNode target, Labels labels) {
        labels.asMap().forEach(target::put);
    }

    private static Labels labels(JsonNode node) {
        var map = new TreeMap<String, String>();
        node.properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
        return Labels.of(map);
    }
}
