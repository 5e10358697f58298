package io.vigil.notifier.routing;

import io.vigil.model.Labels;
import io.vigil.notifier.ChannelKind;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RoutingConfigParserTest {

    private static final Set<String> RECEIVERS = Set.of("team-mail", "team-wechat", "oncall-sms", "oncall-voice", "pay-dba");

    private static final String ROUTES = """
            route:
              receivers: [team-mail, team-wechat]
              group_by: [alertname, cluster]
              group_wait: 30s
              repeat_interval: 4h
              routes:
                - matchers: ['severity="severe"']
                  receivers: [oncall-voice, oncall-sms]
                  group_wait: 0s
                  repeat_interval: 30m
                  continue: true
                - matchers: ['cluster=~"pay-.*"']
                  receivers: [pay-dba]
                  group_by: ['...']
                  routes:
                    - matchers: ['alertname="MySQLReplicationLag"']
                      mute_time_windows: [batch-night]
            time_windows:
              batch-night:
                - weekdays: ['monday:friday']
                  times: ['22:00-06:00']
                  location: Asia/Shanghai
            inhibit_rules:
              - name: primary-down-mutes-lag
                source_matchers: ['alertname="MySQLDown"', 'role="primary"']
                target_matchers: ['alertname="MySQLReplicationLag"']
                equal: [cluster]
            """;

    private final RoutingConfig config = RoutingConfigParser.parse("routes.yaml", ROUTES, RECEIVERS);

    @Test
    void severeAlertsPageAndStillReachTheRoutesAfterTheContinue() {
        var routes = config.tree().match(Labels.of("alertname", "ClusterDown", "cluster", "pay-main", "severity", "severe"));

        assertThat(routes).extracting(Route::path).containsExactly("root.0", "root.1");
        assertThat(routes.getFirst().receivers()).containsExactly("oncall-voice", "oncall-sms");
        assertThat(routes.getFirst().groupWait()).isZero();
        assertThat(routes.getFirst().repeatInterval()).isEqualTo(Duration.ofMinutes(30));
        // Inherited from the root: grouping.
        assertThat(routes.getFirst().groupBy()).containsExactly("alertname", "cluster");
    }

    @Test
    void aNormalAlertOfNoSpecialClusterStaysAtTheRoot() {
        var routes = config.tree().match(Labels.of("alertname", "RedisMemoryHigh", "cluster", "cache", "severity", "normal"));

        assertThat(routes).extracting(Route::path).containsExactly("root");
        assertThat(routes.getFirst().receivers()).containsExactly("team-mail", "team-wechat");
    }

    @Test
    void childrenInheritReceiversGroupingAndTimings() {
        var routes = config.tree().match(Labels.of("alertname", "MySQLReplicationLag", "cluster", "pay-main", "instance", "db2:3306",
                "severity", "normal"));

        assertThat(routes).extracting(Route::path).containsExactly("root.1.0");
        Route lag = routes.getFirst();
        assertThat(lag.receivers()).containsExactly("pay-dba");
        assertThat(lag.groupByAll()).isTrue();
        assertThat(lag.groupWait()).isEqualTo(Duration.ofSeconds(30));
        assertThat(lag.muteTimeWindows()).containsExactly("batch-night");
        // group_by '...': every alert is its own group, named by all its labels.
        assertThat(lag.groupKey(Labels.of("alertname", "MySQLReplicationLag", "instance", "db2:3306")))
                .isEqualTo("root.1.0" + Labels.of("alertname", "MySQLReplicationLag", "instance", "db2:3306"));
    }

    @Test
    void groupKeysSplitByTheGroupByLabelsOnly() {
        Route root = config.tree().root();
        String a = root.groupKey(Labels.of("alertname", "X", "cluster", "c1", "instance", "a"));
        String b = root.groupKey(Labels.of("alertname", "X", "cluster", "c1", "instance", "b"));
        String c = root.groupKey(Labels.of("alertname", "X", "cluster", "c2", "instance", "a"));

        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }

    @Test
    void timeWindowsAreReadInTheirOwnZoneAndWrapPastMidnight() {
        TimeWindow night = config.timeWindows().get("batch-night");

        // Tuesday 2026-12-01 23:30 in Shanghai = 15:30 UTC.
        assertThat(night.contains(Instant.parse("2026-12-01T15:30:00Z"))).isTrue();
        // Tuesday 05:59 Shanghai.
        assertThat(night.contains(Instant.parse("2026-12-01T21:59:00Z"))).isTrue();
        // Tuesday 12:00 Shanghai.
        assertThat(night.contains(Instant.parse("2026-12-01T04:00:00Z"))).isFalse();
        // Saturday 23:30 Shanghai: not a weekday.
        assertThat(night.contains(Instant.parse("2026-12-05T15:30:00Z"))).isFalse();
    }

    @Test
    void builtInInhibitionsComeFirstThenTheFilesOwn() {
        assertThat(config.inhibitRules()).extracting(InhibitRule::name)
                .containsExactly("cluster-down-mutes-its-nodes", "severe-mutes-normal", "primary-down-mutes-lag");

        var off = RoutingConfigParser.parse("r.yaml", "route: {receivers: [team-mail]}\nbuiltin_inhibitions: false\n", RECEIVERS);
        assertThat(off.inhibitRules()).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        String bad = """
                route:
                  receivers: [team-mail, nobody]
                  group_wait: 30x
                  routes:
                    - matchers: ['cluster=~"pay-("']
                      repeat_interval: 0s
                      mute_time_windows: [never-defined]
                    - matchers: ['no operator here']
                      colour: red
                inhibit_rules:
                  - source_matchers: []
                    target_matchers: ['severity="normal"']
                """;

        assertThatThrownBy(() -> RoutingConfigParser.parse("routes.yaml", bad, RECEIVERS))
                .isInstanceOfSatisfying(RoutingConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "route.receivers: unknown receiver 'nobody' (configured: [oncall-sms, oncall-voice, pay-dba, team-mail, team-wechat])",
                        "route.group_wait: invalid duration '30x': expected e.g. 500ms, 5s, 1m30s, 2h, 30d",
                        "route.routes[0].matchers: invalid regular expression for label cluster: Unclosed group near index 9 of \"pay-(\"",
                        "route.routes[0].repeat_interval: must be more than 0",
                        "route.routes[0]: unknown time window 'never-defined' (defined: [])",
                        "route.routes[1].colour: unknown field (known: [active_time_windows, channels, continue, escalation, group_by,"
                                + " group_interval, group_wait, matchers, mute_time_windows, receivers, repeat_interval, routes,"
                                + " send_resolved])",
                        "route.routes[1].matchers: not a label matcher: 'no operator here' (expected name=\"value\","
                                + " name!=\"value\", name=~\"regex\" or name!~\"regex\")",
                        "inhibit_rules[0].source_matchers: needs at least one matcher"))
                .hasMessageStartingWith("routes.yaml: ");
    }

    @Test
    void schedulesAndEscalationPoliciesAreCheckedAgainstReceiversAndEachOther() {
        String ok = """
                route:
                  receivers: [team-mail]
                  routes:
                    - matchers: ['severity="severe"']
                      escalation: dba
                schedules:
                  dba-primary:
                    time_zone: Asia/Shanghai
                    handoff: monday 10:00
                    start: 2026-11-30
                    members: [oncall-voice, oncall-sms]
                    overrides:
                      - {receiver: pay-dba, start: "2026-12-24T18:00:00+08:00", end: "2026-12-26T10:00:00+08:00"}
                escalation_policies:
                  dba:
                    levels:
                      - notify: [schedule:dba-primary]
                        escalate_after: 5m
                      - notify: [pay-dba]
                    repeat: 2
                """;
        var config = RoutingConfigParser.parse("r.yaml", ok, RECEIVERS);
        assertThat(config.tree().match(Labels.of("severity", "severe")).getFirst().escalation()).isEqualTo("dba");
        assertThat(config.escalationPolicies().get("dba").levels()).hasSize(2);
        assertThat(config.escalationPolicies().get("dba").levels().get(1).escalateAfter()).isEqualTo(Duration.ofMinutes(5));
        // Monday 2026-11-30 10:00 Shanghai: the first member; Christmas: the override.
        assertThat(config.resolve(java.util.List.of("schedule:dba-primary", "pay-dba"), Instant.parse("2026-11-30T02:00:00Z")))
                .containsExactly("oncall-voice", "pay-dba");
        assertThat(config.resolve(java.util.List.of("schedule:dba-primary"), Instant.parse("2026-12-25T00:00:00Z")))
                .containsExactly("pay-dba");
        // An unquoted 10:00 is the YAML 1.1 number 600; it still means ten o'clock.
        var daily = RoutingConfigParser.parse("r.yaml", ok.replace("handoff: monday 10:00", "rotation: daily\n    handoff: 10:00"), RECEIVERS);
        assertThat(daily.schedules().get("dba-primary").handoffTime()).isEqualTo(java.time.LocalTime.of(10, 0));

        String bad = """
                route:
                  receivers: [team-mail]
                  escalation: nobody-knows
                schedules:
                  s1:
                    handoff: "friday 25:00"
                    start: 2026-11-30
                    members: [ghost]
                escalation_policies:
                  p1:
                    levels:
                      - notify: [schedule:s2, phantom]
                        escalate_after: 0s
                    repeat: -1
                """;
        assertThatThrownBy(() -> RoutingConfigParser.parse("r.yaml", bad, RECEIVERS))
                .isInstanceOfSatisfying(RoutingConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "schedules.s1.handoff: Invalid value for HourOfDay (valid values 0 - 23): 25",
                        "schedules.s1.members: unknown receiver 'ghost'",
                        "escalation_policies.p1.levels[0].notify: unknown schedule 's2' (defined: [])",
                        "escalation_policies.p1.levels[0].notify: unknown receiver 'phantom'",
                        "escalation_policies.p1.levels[0].escalate_after: must be more than 0",
                        "escalation_policies.p1.repeat: a whole number ≥ 0, got '-1'",
                        "route.escalation: unknown escalation policy 'nobody-knows' (defined: [p1])"));
    }

    @Test
    void aFileWithoutARootRouteOrNotYamlIsRefused() {
        assertThatThrownBy(() -> RoutingConfigParser.parse("r.yaml", "inhibit_rules: []\n", RECEIVERS))
                .hasMessage("r.yaml: route: missing (the root route)");
        assertThatThrownBy(() -> RoutingConfigParser.parse("r.yaml", "route: [unclosed\n", RECEIVERS))
                .hasMessageStartingWith("r.yaml: not valid YAML: ");
    }

    @Test
    void matchersAcceptQuotedEscapedAndBareValues() {
        assertThat(Matchers.parse("summary=\"say \\\"hi\\\"\"").matches("say \"hi\"")).isTrue();
        assertThat(Matchers.parse("cluster = pay").matches("pay")).isTrue();
        assertThat(Matchers.parse("instance!=\"\"").matches((String) null)).isFalse();
        // A matcher's own text reads back as the same matcher (silences are stored that way).
        var m = Matchers.parse("note=~\"a\\\\b.*\"");
        assertThat(Matchers.parse(m.toString())).isEqualTo(m);
    }

    @Test
    void withoutAFileEveryReceiverGetsEverythingNormalBySmsWechatAndMailSevereByPhoneAndSms() {
        var defaults = RoutingConfig.defaults(Set.of("b", "a"));

        Route normal = defaults.tree().match(Labels.of("alertname", "X", "severity", "normal")).getFirst();
        Route severe = defaults.tree().match(Labels.of("alertname", "X", "severity", "severe")).getFirst();
        assertThat(normal.receivers()).containsExactly("a", "b");
        assertThat(normal.channels()).containsExactly(ChannelKind.SMS, ChannelKind.WECHAT, ChannelKind.MAIL);
        assertThat(severe.receivers()).containsExactly("a", "b");
        assertThat(severe.channels()).containsExactly(ChannelKind.VOICE, ChannelKind.SMS);
        assertThat(severe.groupWait()).isZero();
        // Each receiver on the route's media it has; one with none of them on its own first channel.
        assertThat(normal.mediaFor(List.of(ChannelKind.VOICE, ChannelKind.MAIL, ChannelKind.SMS)))
                .containsExactly(ChannelKind.SMS, ChannelKind.MAIL);
        assertThat(severe.mediaFor(List.of(ChannelKind.WEBHOOK))).containsExactly(ChannelKind.WEBHOOK);
        assertThat(defaults.inhibitRules()).hasSize(2);
    }

    @Test
    void aRoutesChannelsAreCheckedAndInherited() {
        var config = RoutingConfigParser.parse("r.yaml", """
                route:
                  receivers: [team-mail]
                  channels: [mail, wechat]
                  routes:
                    - matchers: ['severity="severe"']
                """, RECEIVERS);
        assertThat(config.tree().match(Labels.of("severity", "severe")).getFirst().channels())
                .containsExactly(ChannelKind.MAIL, ChannelKind.WECHAT);
        assertThatThrownBy(() -> RoutingConfigParser.parse("r.yaml", "route: {receivers: [team-mail], channels: [fax]}\n", RECEIVERS))
                .hasMessage("r.yaml: route.channels: unknown channel 'fax' (sms, voice, mail, wechat, webhook)");
    }
}
