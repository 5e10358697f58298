package io.vigil.notifier.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.AlertEvent;
import io.vigil.model.AlertState;
import io.vigil.model.Severity;
import io.vigil.notifier.ChannelKind;
import io.vigil.notifier.Language;
import io.vigil.notifier.OutboxSchema;
import io.vigil.notifier.Receiver;
import io.vigil.notifier.Receivers;
import io.vigil.notifier.routing.Matchers;
import io.vigil.notifier.routing.RoutingConfig;
import io.vigil.notifier.routing.RoutingConfigParser;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestDatabase;
import io.vigil.testbed.WithServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routing, grouping, repeats, resolutions, silences and inhibitions against real PostgreSQL. Time is
 * moved by shifting the groups' clocks back, so a 4-hour repeat interval is tested without waiting.
 */
@WithServices(Postgres.class)
class DispatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RECEIVERS = Set.of("team-mail", "oncall-sms", "oncall-voice");
    private static final String ROUTES = """
            route:
              receivers: [team-mail]
              group_by: [alertname, cluster]
              group_wait: 30s
              group_interval: 5m
              repeat_interval: 4h
              routes:
                - matchers: ['severity="severe"']
                  receivers: [oncall-voice, oncall-sms]
                  group_wait: 0s
                  repeat_interval: 30m
                  continue: true
                - matchers: ['severity="severe"']
                  receivers: [team-mail]
                  group_wait: 0s
            """;

    private final Postgres postgres;
    private DataSource ds;
    private final AtomicReference<RoutingConfig> routing = new AtomicReference<>(RoutingConfigParser.parse("routes.yaml", ROUTES, RECEIVERS));
    private AlertIntake intake;
    private GroupFlusher flusher;
    private SilenceStore silences;
    private long nextEventId = 1;
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    DispatchTest(Postgres postgres) {
        this.postgres = postgres;
    }

    @BeforeEach
    void setUp() {
        ds = TestDatabase.fresh(postgres, "notifier_dispatch").ds();
        new OutboxSchema(ds).ensure();
        new DispatchSchema(ds).ensure();
        intake = new AlertIntake(ds, routing::get);
        Receivers receivers = Receivers.of(
                Receiver.named("team-mail", Language.EN_US, ChannelKind.MAIL).withEmail("dba@example.com"),
                Receiver.named("oncall-sms", Language.ZH_CN, ChannelKind.SMS).withPhone("+8613800000001"),
                Receiver.named("oncall-voice", Language.ZH_CN, ChannelKind.VOICE, ChannelKind.SMS).withPhone("+8613800000001"));
        flusher = new GroupFlusher(ds, routing::get, receivers, "http://vigil.example:8080/");
        silences = new SilenceStore(ds);
    }

    // --- grouping ---------------------------------------------------------------------------

    @Test
    void alertsOfOneClusterArrivingWithinGroupWaitGoOutAsOneNotification() {
        intake.accept(List.of(firing("BufferPoolHitRatioLow", Severity.NORMAL, "pay", "db1:3306")));
        assertThat(flusher.flushDue(100).notifications()).as("group_wait has not passed").isZero();
        intake.accept(List.of(firing("BufferPoolHitRatioLow", Severity.NORMAL, "pay", "db2:3306"),
                firing("BufferPoolHitRatioLow", Severity.NORMAL, "shop", "db9:3306")));
        assertThat(flusher.flushDue(100).notifications()).as("a second alert does not cut the group's wait short").isZero();

        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);

        var sent = outbox();
        assertThat(sent).hasSize(2);
        assertThat(sent).allSatisfy(n -> assertThat(n.receiver()).isEqualTo("team-mail"));
        Notification pay = only(sent, "pay");
        assertThat(pay.instances()).containsExactlyInAnyOrder("db1:3306", "db2:3306");
        assertThat(pay.payload().path("groupLabels").path("cluster").asText()).isEqualTo("pay");
        assertThat(pay.payload().path("alerts").get(0).path("graphUrl").asText())
                .startsWith("http://vigil.example:8080/api/v1/query_range?query=mysql_buffer_pool_hit_ratio%7B");
    }

    @Test
    void aNewAlertInANotifiedGroupWaitsForTheGroupIntervalThenGoesOutWithTheOthers() {
        intake.accept(List.of(firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);
        assertThat(outbox()).hasSize(1);

        intake.accept(List.of(firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db2:3306")));
        flusher.flushDue(100);
        assertThat(outbox()).as("within group_interval of the last flush").hasSize(1);

        elapse(Duration.ofMinutes(5));
        flusher.flushDue(100);
        var sent = outbox();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).instances()).containsExactlyInAnyOrder("db1:3306", "db2:3306");
        assertThat(sent.get(1).key()).startsWith("team-mail/n2/");
    }

    @Test
    void anUnchangedGroupIsRepeatedOnlyAfterTheRepeatInterval() {
        intake.accept(List.of(firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);
        // The same event again (Kafka redelivery) and a newer one with the same state change nothing visible.
        intake.accept(List.of(firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306")));
        elapse(Duration.ofHours(3));
        flusher.flushDue(100);
        assertThat(outbox()).hasSize(1);

        elapse(Duration.ofHours(1));
        flusher.flushDue(100);
        assertThat(outbox()).hasSize(2);
        assertThat(outbox().get(1).statuses()).containsExactly("firing");
    }

    @Test
    void aResolutionIsAnnouncedOnceAndTheGroupIsThenForgotten() {
        intake.accept(List.of(firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);

        intake.accept(List.of(resolved("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306")));
        elapse(Duration.ofMinutes(5));
        flusher.flushDue(100);
        elapse(Duration.ofHours(5));
        flusher.flushDue(100);

        var sent = outbox();
        assertThat(sent).extracting(Notification::statuses).containsExactly(List.of("firing"), List.of("resolved"));
        assertThat(count("SELECT count(*) FROM notifier_groups")).isZero();
        assertThat(count("SELECT count(*) FROM notifier_alerts WHERE state = 'resolved'")).isOne();
    }

    @Test
    void pendingAlertsAndAlertsResolvedBeforeTheirFirstNotificationAreNeverSent() {
        intake.accept(List.of(event("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306", AlertState.PENDING)));
        intake.accept(List.of(firing("DeadlocksHigh", Severity.NORMAL, "pay", "db1:3306")));
        intake.accept(List.of(resolved("DeadlocksHigh", Severity.NORMAL, "pay", "db1:3306")));
        elapse(Duration.ofMinutes(1));
        flusher.flushDue(100);

        assertThat(outbox()).isEmpty();
        assertThat(count("SELECT count(*) FROM notifier_groups")).isZero();
    }

    @Test
    void anOlderEventArrivingLateDoesNotReopenAResolvedAlert() {
        AlertEvent fire = firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306");
        AlertEvent resolve = resolved("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306");
        intake.accept(List.of(resolve));
        assertThat(intake.accept(List.of(fire))).as("stale: a lower event id").isZero();
        elapse(Duration.ofMinutes(1));
        flusher.flushDue(100);

        assertThat(outbox()).isEmpty();
        assertThat(count("SELECT count(*) FROM notifier_alerts WHERE state = 'resolved'")).isOne();
    }

    @Test
    void noDataIsNotifiedAsAnActiveAlertSaidToHaveNoData() {
        intake.accept(List.of(event("ReplicaLagHigh", Severity.NORMAL, "pay", "db2:3306", AlertState.NODATA)));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);

        Notification n = outbox().getFirst();
        assertThat(n.statuses()).containsExactly("firing");
        assertThat(n.payload().path("alerts").get(0).path("annotations").path("summary").asText()).startsWith("[no data] ");
    }

    // --- routing ----------------------------------------------------------------------------

    @Test
    void aSevereAlertPagesAtOnceOnEveryRouteItMatches() {
        intake.accept(List.of(firing("MySQLReplicationBroken", Severity.SEVERE, "pay", "db2:3306")));
        flusher.flushDue(100);

        assertThat(outbox()).extracting(Notification::receiver).containsExactlyInAnyOrder("oncall-voice", "oncall-sms", "team-mail");
        assertThat(outbox()).extracting(Notification::channel).containsExactlyInAnyOrder("voice", "sms", "mail");
    }

    @Test
    void anEscalatedAlertMovesToTheSevereRoutesAndLeavesItsNormalGroup() {
        intake.accept(List.of(firing("ReplicaLagHigh", Severity.NORMAL, "pay", "db2:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);
        intake.accept(List.of(firing("ReplicaLagHigh", Severity.SEVERE, "pay", "db2:3306")));
        flusher.flushDue(100);

        assertThat(outbox()).extracting(Notification::receiver).containsExactlyInAnyOrder("team-mail", "oncall-voice", "oncall-sms", "team-mail");
        assertThat(count("SELECT count(*) FROM notifier_group_alerts")).isEqualTo(2);
    }

    @Test
    void aRouteWithChannelsNotifiesEachReceiverOnEveryMediumItHas() {
        routing.set(RoutingConfigParser.parse("r.yaml", """
                route:
                  receivers: [oncall-voice, team-mail]
                  group_wait: 0s
                  channels: [voice, sms, wechat]
                """, RECEIVERS));
        intake.accept(List.of(firing("MySQLDown", Severity.SEVERE, "pay", "db1:3306")));
        flusher.flushDue(100);

        assertThat(outbox()).extracting(n -> n.receiver() + ":" + n.channel())
                .containsExactlyInAnyOrder("oncall-voice:voice", "oncall-voice:sms", "team-mail:mail");
        assertThat(outbox()).extracting(Notification::key).doesNotHaveDuplicates();
    }

    // --- silences ---------------------------------------------------------------------------

    @Test
    void aSilencedAlertIsRecordedButNotSentUntilTheSilenceIsExpired() {
        Silence s = silences.create(List.of(Matchers.parse("cluster=\"pay\""), Matchers.parse("alertname=~\"Threads.*\"")),
                Instant.now().minusSeconds(1), Instant.now().plus(Duration.ofHours(2)), "alice", "planned failover");
        intake.accept(List.of(firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306"),
                firing("ThreadsRunningHigh", Severity.NORMAL, "shop", "db7:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);

        assertThat(outbox()).extracting(n -> n.payload().path("groupLabels").path("cluster").asText()).containsExactly("shop");
        assertThat(count("SELECT count(*) FROM notifier_alerts WHERE state = 'firing'")).isEqualTo(2);

        assertThat(silences.expire(s.id())).isTrue();
        assertThat(silences.expire(s.id())).as("already expired").isFalse();
        flusher.flushDue(100);
        assertThat(outbox()).hasSize(2);
        assertThat(only(outbox(), "pay").instances()).containsExactly("db1:3306");
        assertThat(silences.get(s.id()).orElseThrow().state(Instant.now())).isEqualTo(Silence.State.EXPIRED);
        assertThat(silences.list()).extracting(Silence::createdBy).containsExactly("alice");
    }

    @Test
    void aSilenceThatEndsByItselfIsNoticedWithinAGroupInterval() throws SQLException {
        Silence s = silences.create(List.of(Matchers.parse("cluster=\"pay\"")), Instant.now().minusSeconds(1),
                Instant.now().plus(Duration.ofHours(1)), "bob", "");
        intake.accept(List.of(firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);
        assertThat(outbox()).isEmpty();

        exec("UPDATE notifier_silences SET ends_at = now() - interval '1 second', starts_at = now() - interval '2 hours' WHERE id = '" + s.id() + "'");
        elapse(Duration.ofMinutes(5));
        flusher.flushDue(100);
        assertThat(outbox()).hasSize(1);
    }

    // --- inhibition -------------------------------------------------------------------------

    @Test
    void aRedClusterMutesItsPerNodeAlertsButNotAnotherClusters() {
        intake.accept(List.of(
                firing("ClusterDown", Severity.SEVERE, "pay", null),
                firing("GaleraNodeNotSynced", Severity.NORMAL, "pay", "db1:3306"),
                firing("GaleraNodeNotSynced", Severity.NORMAL, "pay", "db2:3306"),
                firing("GaleraNodeNotSynced", Severity.NORMAL, "shop", "db7:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);

        var byReceiverAndCluster = new HashMap<String, List<String>>();
        for (Notification n : outbox()) {
            byReceiverAndCluster.computeIfAbsent(n.payload().path("groupLabels").path("alertname").asText(), k -> new ArrayList<>())
                    .addAll(n.instances());
        }
        assertThat(byReceiverAndCluster).containsOnlyKeys("ClusterDown", "GaleraNodeNotSynced");
        assertThat(byReceiverAndCluster.get("GaleraNodeNotSynced")).containsExactly("db7:3306");
    }

    @Test
    void aSevereAlertMutesTheNormalAlertOfTheSameInstanceOnly() {
        intake.accept(List.of(
                firing("MySQLReplicationBroken", Severity.SEVERE, "pay", "db2:3306"),
                firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db2:3306"),
                firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db3:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);

        List<String> normal = outbox().stream().filter(n -> n.payload().path("groupLabels").path("alertname").asText().equals("ThreadsRunningHigh"))
                .flatMap(n -> n.instances().stream()).toList();
        assertThat(normal).containsExactly("db3:3306");
    }

    @Test
    void whenTheInhibitingAlertResolvesTheMutedOneIsSent() {
        intake.accept(List.of(firing("ClusterDown", Severity.SEVERE, "pay", null),
                firing("GaleraNodeNotSynced", Severity.NORMAL, "pay", "db1:3306")));
        elapse(Duration.ofSeconds(31));
        flusher.flushDue(100);
        intake.accept(List.of(resolved("ClusterDown", Severity.SEVERE, "pay", null)));
        elapse(Duration.ofMinutes(5));
        flusher.flushDue(100);

        assertThat(outbox()).filteredOn(n -> n.payload().path("groupLabels").path("alertname").asText().equals("GaleraNodeNotSynced"))
                .singleElement().satisfies(n -> assertThat(n.instances()).containsExactly("db1:3306"));
    }

    // --- time windows -----------------------------------------------------------------------

    @Test
    void aRouteInsideItsMuteWindowSendsNothingAndCatchesUpWhenTheWindowCloses() {
        routing.set(RoutingConfigParser.parse("r.yaml", """
                route:
                  receivers: [team-mail]
                  group_wait: 0s
                  mute_time_windows: [always]
                time_windows:
                  always:
                    - times: ['00:00-24:00']
                """, RECEIVERS));
        intake.accept(List.of(firing("ThreadsRunningHigh", Severity.NORMAL, "pay", "db1:3306")));
        flusher.flushDue(100);
        assertThat(outbox()).isEmpty();

        routing.set(RoutingConfigParser.parse("r.yaml", "route: {receivers: [team-mail], group_wait: 0s}\n", RECEIVERS));
        elapse(Duration.ofMinutes(5));
        flusher.flushDue(100);
        assertThat(outbox()).hasSize(1);
    }

    // --- concurrency ------------------------------------------------------------------------

    @Test
    void twoFlushersNeverSendTheSameGroupTwice() throws Exception {
        var events = new ArrayList<AlertEvent>();
        for (int c = 0; c < 60; c++) {
            events.add(firing("ThreadsRunningHigh", Severity.NORMAL, "c" + c, "db1:3306"));
        }
        intake.accept(events);
        elapse(Duration.ofSeconds(31));
        var other = new GroupFlusher(ds, routing::get, Receivers.of(Receiver.named("team-mail", Language.EN_US, ChannelKind.MAIL)),
                "http://vigil.example:8080");
        try (var pool = Executors.newFixedThreadPool(4)) {
            var futures = new ArrayList<Future<GroupFlusher.Result>>();
            for (int i = 0; i < 8; i++) {
                GroupFlusher f = i % 2 == 0 ? flusher : other;
                futures.add(pool.submit((Callable<GroupFlusher.Result>) () -> f.flushDue(10)));
            }
            int sent = 0;
            for (var f : futures) {
                sent += f.get().notifications();
            }
            assertThat(sent).isEqualTo(60);
        }
        assertThat(outbox()).hasSize(60);
        assertThat(outbox()).extracting(n -> n.payload().path("groupLabels").path("cluster").asText()).doesNotHaveDuplicates();
    }

    // --- helpers ----------------------------------------------------------------------------

    private record Notification(String key, String receiver, String channel, JsonNode payload) {

        List<String> instances() {
            var out = new ArrayList<String>();
            payload.path("alerts").forEach(a -> out.add(a.path("labels").path("instance").asText()));
            return out;
        }

        List<String> statuses() {
            var out = new ArrayList<String>();
            payload.path("alerts").forEach(a -> out.add(a.path("status").asText()));
            return out;
        }
    }

    private static Notification only(List<Notification> sent, String cluster) {
        return sent.stream().filter(n -> n.payload().path("groupLabels").path("cluster").asText().equals(cluster))
                .reduce((a, b) -> {
                    throw new AssertionError("two notifications for cluster " + cluster);
                }).orElseThrow(() -> new AssertionError("no notification for cluster " + cluster + " in " + sent));
    }

    private List<Notification> outbox() {
        try (var c = ds.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT idempotency_key, receiver, channel, payload::text FROM notification_outbox ORDER BY id")) {
            var out = new ArrayList<Notification>();
            while (rs.next()) {
                out.add(new Notification(rs.getString(1), rs.getString(2), rs.getString(3), JSON.readTree(rs.getString(4))));
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Moves every group's clock back by {@code d}: as if {@code d} had passed. */
    private void elapse(Duration d) {
        exec("UPDATE notifier_groups SET next_flush_at = next_flush_at - interval '" + d.toMillis() + " milliseconds',"
                + " last_flush_at = last_flush_at - interval '" + d.toMillis() + " milliseconds',"
                + " last_notified_at = last_notified_at - interval '" + d.toMillis() + " milliseconds'");
    }

    private void exec(String sql) {
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private long count(String sql) {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private AlertEvent firing(String rule, Severity severity, String cluster, String instance) {
        return event(rule, severity, cluster, instance, AlertState.FIRING);
    }

    private AlertEvent resolved(String rule, Severity severity, String cluster, String instance) {
        return event(rule, severity, cluster, instance, AlertState.RESOLVED);
    }

    private AlertEvent event(String rule, Severity severity, String cluster, String instance, AlertState state) {
        var labels = new TreeMap<String, String>();
        labels.put("alertname", rule);
        labels.put("cluster", cluster);
        if (instance != null) {
            labels.put("instance", instance);
        }
        String fingerprint = rule + labels;
        Instant firedAt = state == AlertState.PENDING ? null : t0;
        return new AlertEvent(nextEventId++, fingerprint, rule, state, null, severity, labels,
                Map.of("summary", rule + " on " + (instance == null ? cluster : instance)), 1.0, t0.minusSeconds(60), firedAt,
                state == AlertState.RESOLVED ? t0.plusSeconds(600) : null, t0, "mysql_buffer_pool_hit_ratio{cluster=\"" + cluster + "\"}");
    }
}
