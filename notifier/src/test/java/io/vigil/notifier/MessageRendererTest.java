package io.vigil.notifier;

import io.vigil.model.Labels;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MessageRendererTest {

    @Test
    void rendersInChinese() {
        var m = Fixtures.RENDERER.render(Fixtures.chinese("g"), Language.ZH_CN);
        assertThat(m.subject()).startsWith("[告警:1][严重] MySqlReplicationLag: 支付集群");
        assertThat(m.text()).contains("开始: 2026-11-22 03:00:00 Z");
        assertThat(m.speech()).startsWith("Vigil 告警。");
    }

    @Test
    void escapesAlertTextInHtmlAndMarkdown() {
        var evil = new Alert(Labels.of("alertname", "Evil", "instance", "<script>alert(1)</script>"), AlertStatus.FIRING,
                Severity.NORMAL, "<img src=x onerror=alert(1)>", "[click](https://evil.example)",
                Fixtures.T0, null, "javascript:alert(1)");
        var m = Fixtures.RENDERER.render(new AlertGroup("g", Labels.EMPTY, List.of(evil)), Language.EN_US);
        assertThat(m.html()).doesNotContain("<script>", "<img", "javascript:")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;");
        assertThat(m.markdown()).doesNotContain("<script>", "[click]", "javascript:");
    }

    @Test
    void resolvedGroupsSayResolved() {
        var a = Fixtures.alert("DiskFull", "disk 95%", Severity.SEVERE, "instance", "db-1");
        var resolved = new Alert(a.labels(), AlertStatus.RESOLVED, a.severity(), a.summary(), a.description(), a.startsAt(),
                Fixtures.T0.plusSeconds(600), null);
        var group = new AlertGroup("g", Labels.EMPTY, List.of(resolved));
        assertThat(group.severity()).isEqualTo(Severity.NORMAL);
        assertThat(Fixtures.RENDERER.render(group, Language.EN_US).subject()).isEqualTo("[RESOLVED:1] DiskFull: disk 95%");
    }
}
