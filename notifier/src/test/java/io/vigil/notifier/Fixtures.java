package io.vigil.notifier;

import io.vigil.model.Labels;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Alert groups and receivers for the tests. */
final class Fixtures {

    static final Instant T0 = Instant.parse("2026-11-22T03:00:00Z");
    static final MessageRenderer RENDERER = new MessageRenderer(ZoneOffset.UTC);

    private Fixtures() {
    }

    static Alert alert(String name, String summary, Severity severity, String... labels) {
        var l = Labels.of(labels).with("alertname", name);
        return new Alert(l, AlertStatus.FIRING, severity, summary, "details of " + name, T0, null,
                "https://vigil.example.com/graph?expr=up");
    }

    static AlertGroup group(String key, Alert... alerts) {
        return new AlertGroup(key, Labels.of("cluster", "pay"), List.of(alerts));
    }

    static AlertGroup replicationLag(String key) {
        return group(key, alert("MySqlReplicationLag", "replica 12 minutes behind", Severity.SEVERE, "cluster", "pay", "instance", "pay-2:3306"));
    }

    static AlertGroup chinese(String key) {
        return group(key, alert("MySqlReplicationLag", "支付集群从库复制延迟超过十二分钟，请立即检查主从链路与网络状况，必要时切换流量到其他从库以避免读到旧数据",
                Severity.SEVERE, "cluster", "pay", "instance", "pay-2:3306"));
    }

    static Notification notification(AlertGroup group, Receiver receiver, ChannelKind channel) {
        return new Notification(42, IdempotencyKey.of(group.groupKey(), receiver.name(), "firing"), group, receiver, channel);
    }
}
