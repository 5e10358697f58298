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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** Escalation policies, on-call schedules and acknowledgements against real PostgreSQL. */
@WithServices(Postgres.class)
class EscalationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RECEIVERS = Set.of("team-mail", "alice-voice", "bob-voice", "lead-sms");
    /** The rotation is chosen so that alice is on call today, whatever today is: it starts today. */
    private static final String ROUTES = """
            route:
              receivers: [team-mail]
              group_wait: 0s
              routes:
                - matchers: ['severity="severe"']
                  escalation: dba
                  continue: true
            schedules:
              dba-primary:
                time_zone: UTC
                rotation: daily
                handoff: "00:00"
                start: %s
                members: [alice-voice, bob-voice]
            escalation_policies:
              dba:
                levels:
                  - notify: [schedule:dba-primary]
                    escalate_after: 5m
                  - notify: [lead-sms, schedule:dba-primary]
                    escalate_after: 10m
                repeat: 1
            """.formatted(LocalDate.now(ZoneOffset.UTC));

    private final Postgres postgres;
    private DataSource ds;
    private AlertIntake intake;
    private GroupFlusher flusher;
    private EscalationStepper stepper;
    private Escalations escalations;
    private AckLinks links;
    private long nextEventId = 1;

    EscalationTest(Postgres postgres) {
        this.postgres = postgres;
    }

    @BeforeEach
    void setUp() {
        ds = TestDatabase.fresh(postgres, "notifier_escalation").ds();
        new OutboxSchema(ds).ensure();
        new DispatchSchema(ds).ensure();
        RoutingConfig routing = RoutingConfigParser.parse("routes.yaml", ROUTES, RECEIVERS);
        Receivers receivers = Receivers.of(
                Receiver.named("team-mail", Language.EN_US, ChannelKind.MAIL).withEmail("dba@example.com"),
                Receiver.named("alice-voice", Language.ZH_CN, ChannelKind.VOICE, ChannelKind.SMS).withPhone("+8613800000001"),
                Receiver.named("bob-voice", Language.ZH_CN, ChannelKind.VOICE, ChannelKind.SMS).withPhone("+8613800000002"),
                Receiver.named("lead-sms", Language.EN_US, ChannelKind.SMS).withPhone("+8613800000003"));
        intake = new AlertIntake(ds, () -> routing);
        flusher = new GroupFlusher(ds, () -> routing, receivers, "https://vigil.example");
        links = AckLinks.load(ds, "https://vigil.example");
        stepper = new EscalationStepper(ds, () -> routing, receivers, "https://vigil.example", links);
        escalations = new Escalations(ds);
    }

    @Test
    void theOnCallPersonIsPagedAtOnceThenTheNextLevelUntilTheRepeatsRunOut() {
        fire("MySQLDown");
        flusher.flushDue(100);
        stepper.stepDue(100);

        assertThat(pages()).containsExactly("alice-voice@0.0");
        assertThat(receivers()).contains("team-mail");
        stepper.stepDue(100);
        assertThat(pages()).as("level 1 waits for escalate_after").hasSize(1);

        elapse(Duration.ofMinutes(5));
        stepper.stepDue(100);
        assertThat(pages()).containsExactly("alice-voice@0.0", "lead-sms@0.1", "alice-voice@0.1");

        elapse(Duration.ofMinutes(10));
        stepper.stepDue(100);
        elapse(Duration.ofMinutes(5));
        stepper.stepDue(100);
        elapse(Duration.ofMinutes(10));
        stepper.stepDue(100);
        elapse(Duration.ofHours(1));
        stepper.stepDue(100);
        assertThat(pages()).containsExactly("alice-voice@0.0", "lead-sms@0.1", "alice-voice@0.1",
                "alice-voice@1.0", "lead-sms@1.1", "alice-voice@1.1");
        assertThat(escalations.list(true, 10)).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(Escalation.State.EXHAUSTED);
            assertThat(e.ackedAt()).isNull();
        });
    }

    @Test
    void anAcknowledgementStopsThePagingAndIsRecordedWithWhoAndHow() {
        fire("MySQLDown");
        flusher.flushDue(100);
        stepper.stepDue(100);
        long id = escalations.list(true, 10).getFirst().id();

        var ack = escalations.acknowledge(id, "alice", "api");
        assertThat(ack.result()).isEqualTo(Escalations.AckResult.ACKNOWLEDGED);
        assertThat(escalations.acknowledge(id, "bob", "link").result()).isEqualTo(Escalations.AckResult.ALREADY_ACKNOWLEDGED);
        elapse(Duration.ofHours(2));
        stepper.stepDue(100);

        assertThat(pages()).containsExactly("alice-voice@0.0");
        Escalation e = escalations.get(id).orElseThrow();
        assertThat(e.state()).isEqualTo(Escalation.State.ACKNOWLEDGED);
        assertThat(e.ackedBy()).isEqualTo("alice");
        assertThat(e.ackVia()).isEqualTo("api");
        // A second alert in the same, acknowledged group does not start the paging again.
        fire("MySQLDown", "db2:3306");
        elapse(Duration.ofMinutes(5));
        flusher.flushDue(100);
        stepper.stepDue(100);
        assertThat(pages()).containsExactly("alice-voice@0.0");
    }

    @Test
    void thePageCarriesASignedLinkThatAcknowledgesOnlyItsEscalation() {
        fire("MySQLDown");
        flusher.flushDue(100);
        stepper.stepDue(100);
        JsonNode page = payloads().stream().filter(p -> p.has("ack")).findFirst().orElseThrow();
        long id = page.path("ack").path("escalationId").asLong();
        String url = page.path("ack").path("url").asText();

        assertThat(url).startsWith("https://vigil.example/api/v1/ack/" + id + ".");
        String token = url.substring(url.lastIndexOf('/') + 1);
        assertThat(links.verify(token, Instant.now())).hasValue(id);
        assertThat(links.verify(token, Instant.now().plus(AckLinks.VALIDITY).plusSeconds(60))).as("expired").isEmpty();
        String[] parts = token.split("\\.");
        assertThat(links.verify((id + 1) + "." + parts[1] + "." + parts[2], Instant.now())).as("another escalation").isEmpty();
        assertThat(links.verify(parts[0] + "." + (Long.parseLong(parts[1]) + 86400) + "." + parts[2], Instant.now()))
                .as("a later expiry").isEmpty();
        assertThat(links.verify("garbage", Instant.now())).isEmpty();
        assertThat(AckLinks.load(ds, "https://other.example").verify(token, Instant.now())).as("every instance shares the key").hasValue(id);
    }

    @Test
    void aReplyOrAKeyPressFindsItsEscalation() throws SQLException {
        fire("MySQLDown");
        flusher.flushDue(100);
        stepper.stepDue(100);
        long id = escalations.list(true, 10).getFirst().id();
        long outboxId;
        try (var c = ds.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT id FROM notification_outbox WHERE receiver = 'alice-voice'")) {
            rs.next();
            outboxId = rs.getLong(1);
        }

        assertThat(escalations.forOutboxRow(outboxId)).hasValue(id);
        assertThat(escalations.forReceivers(List.of("alice-voice"), null)).hasValue(id);
        assertThat(escalations.forReceivers(List.of("alice-voice"), id)).hasValue(id);
        assertThat(escalations.forReceivers(List.of("bob-voice"), null)).as("bob was not paged").isEmpty();
        assertThat(escalations.forReceivers(List.of("alice-voice"), id + 100)).isEmpty();
    }

    @Test
    void aResolvedGroupEndsItsEscalationAndASilencedOneIsNotPaged() {
        var silences = new SilenceStore(ds);
        var s = silences.create(List.of(Matchers.parse("cluster=\"pay\"")), Instant.now().minusSeconds(1),
                Instant.now().plus(Duration.ofHours(1)), "alice", "maintenance");
        fire("MySQLDown");
        flusher.flushDue(100);
        stepper.stepDue(100);
        assertThat(pages()).as("silenced: no notification, no escalation").isEmpty();
        silences.expire(s.id());
        flusher.flushDue(100);
        stepper.stepDue(100);
        assertThat(pages()).containsExactly("alice-voice@0.0");

        intake.accept(List.of(event("MySQLDown", "db1:3306", AlertState.RESOLVED)));
        elapse(Duration.ofMinutes(5));
        flusher.flushDue(100);
        stepper.stepDue(100);
        assertThat(escalations.list(false, 10)).singleElement().satisfies(e -> {
            assertThat(e.state()).isEqualTo(Escalation.State.ENDED);
            assertThat(e.endReason()).isEqualTo("resolved");
        });
        assertThat(pages()).containsExactly("alice-voice@0.0");
    }

    // --- helpers ----------------------------------------------------------------------------

    private void fire(String rule) {
        fire(rule, "db1:3306");
    }

    private void fire(String rule, String instance) {
        intake.accept(List.of(event(rule, instance, AlertState.FIRING)));
    }

    private AlertEvent event(String rule, String instance, AlertState state) {
        var labels = new TreeMap<String, String>(Map.of("alertname", rule, "cluster", "pay", "instance", instance));
        Instant now = Instant.now();
        return new AlertEvent(nextEventId++, rule + labels, rule, state, null, Severity.SEVERE, labels, Map.of("summary", "down"),
                0.0, now, now, state == AlertState.RESOLVED ? now : null, now, "up");
    }

    /** Escalation pages as receiver@cycle.level, in order. */
    private List<String> pages() {
        var out = new ArrayList<String>();
        for (String[] row : rows("SELECT receiver, idempotency_key FROM notification_outbox WHERE idempotency_key ~ '/e[0-9]' ORDER BY id")) {
            String step = row[1].split("/")[1];
            out.add(row[0] + "@" + step.substring(step.indexOf('.') + 1));
        }
        return out;
    }

    private List<String> receivers() {
        return rows("SELECT receiver, idempotency_key FROM notification_outbox ORDER BY id").stream().map(r -> r[0]).toList();
    }

    private List<JsonNode> payloads() {
        var out = new ArrayList<JsonNode>();
        for (String[] row : rows("SELECT payload::text, id FROM notification_outbox ORDER BY id")) {
            try {
                out.add(JSON.readTree(row[0]));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private List<String[]> rows(String sql) {
        try (var c = ds.getConnection(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            var out = new ArrayList<String[]>();
            while (rs.next()) {
                out.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private void elapse(Duration d) {
        String by = "interval '" + d.toMillis() + " milliseconds'";
        try (var c = ds.getConnection(); var st = c.createStatement()) {
            st.executeUpdate("UPDATE notifier_groups SET next_flush_at = next_flush_at - " + by + ", last_flush_at = last_flush_at - " + by
                    + ", last_notified_at = last_notified_at - " + by);
            st.executeUpdate("UPDATE notifier_escalations SET next_at = next_at - " + by);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
