package io.vigil.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import io.vigil.model.Topics;
import io.vigil.model.codec.SampleBatchCodec;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.TestBed;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Rules created through the API drive alerts that the alert API shows, on real Kafka and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = AlertsTestResource.class, restrictToAnnotatedClass = true)
class AlertsApiTest {

    private static final String RULE = """
            name: ApiTestLag
            expr: api_test_lag_seconds > 30
            for: 1s
            recover: "< 5"
            severity: severe
            labels: {team: dba}
            annotations:
              summary: "{{ $labels.instance }} is {{ $value }}s behind"
            """;

    @Test
    void badRulesAreRefusedWithWhatAndWhereAndNothingLoadedBreaks() {
        String body = given().contentType("application/yaml").body(RULE.replace("> 30", ">> 30").getBytes(StandardCharsets.UTF_8))
                .post("/api/v1/rules").then().statusCode(400).extract().asString();
        assertThat(JsonPath.from(body).getList("problems", String.class))
                .containsExactly("body:2:7: rule ApiTestLag: expr: 1:23: parse error: unexpected <op:>>");
        given().contentType(ContentType.JSON).body("{\"name\": \"J\", \"expr\": \"up == 0\", \"for\": \"soon\"}")
                .post("/api/v1/rules").then().statusCode(400)
                .body("problems[0]", org.hamcrest.Matchers.equalTo("body:1:41: rule J: for: must be a duration such as 30s, 5m or 1h30m, got \"soon\""));
        given().contentType(ContentType.JSON).body("{\"name\": \"Oops\", \"expr\": \"up == 0\", \"recover_fro\": \"1m\"}")
                .post("/api/v1/rules").then().statusCode(400);
        given().get("/api/v1/rules/Oops").then().statusCode(404);
    }

    @Test
    void ruleCrudThroughTheApi() {
        String name = "CrudRule";
        String rule = "{\"name\": \"" + name + "\", \"expr\": \"mysql_threads_running > 100\", \"for\": \"2m\"}";
        given().contentType(ContentType.JSON).body(rule).post("/api/v1/rules").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/rules/" + name))
                .body("source", org.hamcrest.Matchers.equalTo("api:" + name)).body("editable", org.hamcrest.Matchers.equalTo(true))
                .body("for", org.hamcrest.Matchers.equalTo("2m"));
        given().contentType(ContentType.JSON).body(rule).post("/api/v1/rules").then().statusCode(409);
        given().contentType(ContentType.JSON).body(rule.replace("100", "200")).put("/api/v1/rules/" + name).then().statusCode(200)
                .body("expr", org.hamcrest.Matchers.equalTo("mysql_threads_running > 200"));
        given().contentType(ContentType.JSON).body(rule).put("/api/v1/rules/Other").then().statusCode(400);
        assertThat(given().get("/api/v1/rules").then().statusCode(200).extract().jsonPath().getList("rules.name", String.class))
                .contains(name);
        // The default pack is on, and read-only here: it is tuned with a rule file of the same name.
        given().get("/api/v1/rules/TargetDown").then().statusCode(200).body("editable", org.hamcrest.Matchers.equalTo(false))
                .body("source", org.hamcrest.Matchers.startsWith("builtin:"));
        given().contentType(ContentType.JSON).body("{\"name\": \"TargetDown\", \"expr\": \"up == 0\"}").put("/api/v1/rules/TargetDown")
                .then().statusCode(409).body("error", org.hamcrest.Matchers.containsString("is defined in builtin:"));
        given().delete("/api/v1/rules/TargetDown").then().statusCode(409);
        given().delete("/api/v1/rules/" + name).then().statusCode(204);
        given().delete("/api/v1/rules/" + name).then().statusCode(404);
        given().get("/api/v1/rules/" + name).then().statusCode(404);
    }

    @Test
    void anApiRuleFiresShowsInTheAlertApiAndResolvesIntoHistory() throws Exception {
        given().contentType("application/yaml").body(RULE.getBytes(StandardCharsets.UTF_8)).post("/api/v1/rules").then().statusCode(201);
        var labels = Labels.of("cluster", "api", "instance", "db9:3306", "target", "api-db9", "kind", "mysql");
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestBed.get(Kafka.class).bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            JsonPath firing = scrapeUntil(producer, labels, 45, "/api/v1/alerts?rule=ApiTestLag", j -> j.getList("alerts").size() == 1);
            assertThat(firing.getString("alerts[0].rule")).isEqualTo("ApiTestLag");
            assertThat(firing.getString("alerts[0].state")).isEqualTo("firing");
            assertThat(firing.getString("alerts[0].severity")).isEqualTo("severe");
            assertThat(firing.getMap("alerts[0].labels")).containsEntry("team", "dba").containsEntry("instance", "db9:3306")
                    .containsEntry("alertname", "ApiTestLag");
            assertThat(firing.getString("alerts[0].annotations.summary")).isEqualTo("db9:3306 is 45s behind");
            assertThat(firing.getDouble("alerts[0].value")).isEqualTo(45.0);
            assertThat(firing.getString("alerts[0].query"))
                    .isEqualTo("api_test_lag_seconds{cluster=\"api\",instance=\"db9:3306\",kind=\"mysql\",target=\"api-db9\"}");
            assertThat(firing.getString("alerts[0].graph")).startsWith("/api/v1/query_range?query=api_test_lag_seconds%7Bcluster%3D%22api%22");
            // The link works: the ingest role stores the same samples (within its batch wait).
            JsonPath graph = scrapeUntil(producer, labels, 45, firing.getString("alerts[0].graph"),
                    j -> !j.getList("data.result").isEmpty());
            assertThat(graph.getString("data.result[0].metric.instance")).isEqualTo("db9:3306");
            given().get("/api/v1/alerts?severity=normal&rule=ApiTestLag").then().statusCode(200).body("alerts", org.hamcrest.Matchers.empty());
            given().get("/api/v1/alerts?label=cluster=api&label=team=dba").then().statusCode(200).body("alerts.size()", org.hamcrest.Matchers.equalTo(1));
            given().get("/api/v1/alerts?state=resolved").then().statusCode(400);

            JsonPath history = scrapeUntil(producer, labels, 1, "/api/v1/alerts/history?rule=ApiTestLag",
                    j -> j.getList("events.state").contains("resolved"));
            assertThat(history.getList("events.state", String.class)).containsExactly("resolved", "firing", "pending");
            given().get("/api/v1/alerts?rule=ApiTestLag").then().statusCode(200).body("alerts", org.hamcrest.Matchers.empty());
            given().get("/api/v1/alerts/history?since=yesterday").then().statusCode(400);

            // The notifier paged the webhook receiver: firing, then resolved, and the delivery log says so.
            awaitUntil(Duration.ofSeconds(30), "a resolved notification of ApiTestLag", () -> hookStatuses("ApiTestLag").contains("resolved"));
            assertThat(hookStatuses("ApiTestLag")).containsExactly("firing", "resolved");
            JsonPath sent = given().get("/api/v1/notifications?receiver=noc").then().statusCode(200).extract().jsonPath();
            assertThat(sent.getList("notifications.channel", String.class)).contains("webhook");
            assertThat(sent.getList("notifications.status", String.class)).contains("sent");
            assertThat(sent.prettify()).doesNotContain("127.0.0.1"); // receiver addresses are never shown

            // Vigil's own metrics say what the rules role did.
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metricValue(metrics, "vigil_rules_alert_changes_total")).isGreaterThanOrEqualTo(3);
            assertThat(metricValue(metrics, "vigil_rules_loaded")).isGreaterThanOrEqualTo(1);
            assertThat(metricValue(metrics, "vigil_rules_window_series")).isGreaterThanOrEqualTo(1);
            assertThat(metricValue(metrics, "vigil_rules_unstored_changes")).isZero();
            assertThat(metricValue(metrics, "vigil_notifier_events_received_total")).isGreaterThanOrEqualTo(2);
            assertThat(metricValue(metrics, "vigil_notifier_delivered_total")).isGreaterThanOrEqualTo(2);
            assertThat(metricValue(metrics, "vigil_notifier_delivery_failures_total")).isZero();
        }
    }

    @Test
    void clusterHealthIsServedWithItsReasonAndDrivesTheDefaultDegradedRule() throws Exception {
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestBed.get(Kafka.class).bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String status = null;
            while (System.nanoTime() < deadline && !"yellow".equals(status)) {
                for (int i = 1; i <= 3; i++) {
                    var labels = Labels.of("cluster", "apigal", "target", "apigal-" + i, "instance", "10.0.0." + i + ":3306", "kind", "mysql");
                    List<Sample> samples = i == 3
                            ? List.of(new Sample("up", Labels.EMPTY, 0))
                            : List.of(new Sample("up", Labels.EMPTY, 1), new Sample("galera_cluster_size", Labels.EMPTY, 2),
                            new Sample("galera_cluster_primary", Labels.EMPTY, 1), new Sample("galera_local_state_synced", Labels.EMPTY, 1));
                    var batch = new SampleBatch("apigal-" + i, System.currentTimeMillis(), labels, samples);
                    producer.send(new ProducerRecord<>(Topics.SAMPLES, batch.partitionKey(), SampleBatchCodec.encode(batch))).get();
                }
                JsonPath health = given().get("/api/v1/health/clusters").then().statusCode(200).extract().jsonPath();
                status = health.getString("clusters.find { it.cluster == 'apigal' }.status");
                if ("yellow".equals(status)) {
                    assertThat(health.getString("clusters.find { it.cluster == 'apigal' }.kind")).isEqualTo("galera");
                    assertThat(health.getString("clusters.find { it.cluster == 'apigal' }.reason")).isEqualTo(
                            "2 of 3 nodes in the Primary component and Synced; apigal-3 (10.0.0.3:3306) down; one more loss stops writes");
                }
                Thread.sleep(300);
            }
            assertThat(status).isEqualTo("yellow");
            // The default pack's ClusterDegraded fires after its 10 s.
            JsonPath alerts = scrapeUntil(producer, Labels.of("cluster", "apigal", "target", "apigal-1", "instance", "10.0.0.1:3306", "kind", "mysql"),
                    0, "/api/v1/alerts?rule=ClusterDegraded", j -> !j.getList("alerts").isEmpty());
            assertThat(alerts.getString("alerts[0].severity")).isEqualTo("severe");
            assertThat(alerts.getMap("alerts[0].labels")).containsEntry("cluster", "apigal").containsEntry("kind", "galera");
            assertThat(alerts.getString("alerts[0].annotations.summary")).isEqualTo("galera cluster apigal is degraded");
        }
    }

    @Test
    void silencesAreCreatedListedAndExpiredWithErrorsThatNameTheField() {
        String body = given().contentType(ContentType.JSON)
                .body("{\"matchers\": [\"cluster=~\\\"pay-(\\\"\"], \"duration\": \"soon\", \"createdBy\": \" \"}")
                .post("/api/v1/silences").then().statusCode(400).extract().asString();
        assertThat(JsonPath.from(body).getList("problems", String.class)).containsExactly(
                "matchers[0]: invalid regular expression for label cluster: Unclosed group near index 9 of \"pay-(\"",
                "duration: invalid duration 'soon': expected e.g. 500ms, 5s, 1m30s, 2h, 30d",
                "createdBy: required: who is silencing",
                "comment: required: why (a ticket, a maintenance)");
        given().contentType(ContentType.JSON).body("{\"matchers\": [\"cluster!=\\\"x\\\"\"], \"duration\": \"1h\", \"createdBy\": \"a\", \"comment\": \"c\"}")
                .post("/api/v1/silences").then().statusCode(400)
                .body("problems[0]", org.hamcrest.Matchers.startsWith("matchers: these match every alert"));

        String id = given().contentType(ContentType.JSON)
                .body("{\"matchers\": [\"cluster=\\\"pay\\\"\", \"alertname=~\\\"MySQL.*\\\"\"], \"duration\": \"2h\","
                        + " \"createdBy\": \"alice\", \"comment\": \"failover drill OPS-1\"}")
                .post("/api/v1/silences").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.containsString("/api/v1/silences/"))
                .body("state", org.hamcrest.Matchers.equalTo("active"))
                .body("matchers", org.hamcrest.Matchers.contains("cluster=\"pay\"", "alertname=~\"MySQL.*\""))
                .extract().path("id");
        given().get("/api/v1/silences/" + id).then().statusCode(200).body("createdBy", org.hamcrest.Matchers.equalTo("alice"));
        assertThat(given().get("/api/v1/silences?state=active").then().statusCode(200).extract().jsonPath()
                .getList("silences.id", String.class)).contains(id);
        given().delete("/api/v1/silences/" + id).then().statusCode(204);
        given().delete("/api/v1/silences/" + id).then().statusCode(409);
        given().get("/api/v1/silences/" + id).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("expired"));
        given().get("/api/v1/silences/not-a-uuid").then().statusCode(404);
        given().get("/api/v1/silences?state=sleepy").then().statusCode(400);
        given().get("/api/v1/notifications?limit=0").then().statusCode(400);
        given().get("/api/v1/notifier/routing").then().statusCode(200)
                .body("routes[0].receivers", org.hamcrest.Matchers.contains("noc"))
                .body("routes[0].group_wait", org.hamcrest.Matchers.equalTo("0s"))
                .body("inhibit_rules.name", org.hamcrest.Matchers.hasItem("cluster-down-mutes-its-nodes"));
    }

    @Test
    void aSeverePageIsAcknowledgedByReplyingToItsSmsOrThroughItsSignedLink() throws Exception {
        given().contentType("application/yaml").body("""
                name: EscalationTestRule
                expr: api_escalation_test > 0
                severity: severe
                """.getBytes(StandardCharsets.UTF_8)).post("/api/v1/rules").then().statusCode(201);
        try (var producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestBed.get(Kafka.class).bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && pages("EscalationTestRule").size() < 3) {
                for (String cluster : List.of("esc-a", "esc-b", "esc-c")) {
                    var batch = new SampleBatch(cluster + "-db1", System.currentTimeMillis(),
                            Labels.of("cluster", cluster, "instance", cluster + "-db1:3306", "target", cluster + "-db1", "kind", "mysql"),
                            List.of(new Sample("api_escalation_test", Labels.EMPTY, 1)));
                    producer.send(new ProducerRecord<>(Topics.SAMPLES, batch.partitionKey(), SampleBatchCodec.encode(batch))).get();
                }
                Thread.sleep(300);
            }
        }
        Map<String, JsonPath> pages = pages("EscalationTestRule");
        assertThat(pages).containsOnlyKeys("esc-a", "esc-b", "esc-c");
        long a = pages.get("esc-a").getLong("ack.escalationId");
        String linkB = pages.get("esc-b").getString("ack.url");
        assertThat(linkB).startsWith("https://vigil.example/api/v1/ack/");
        given().get("/api/v1/escalations/" + a).then().statusCode(200).body("state", org.hamcrest.Matchers.equalTo("paging"))
                .body("policy", org.hamcrest.Matchers.equalTo("page"));

        // A reply whose signature was not made with the account's token is refused before it is read.
        var reply = Map.of("From", AlertsTestResource.ONCALL_PHONE, "To", "+15550000000", "Body", "ACK " + a, "MessageSid", "SM1");
        given().header("X-Twilio-Signature", twilioSignature("wrong-token", AlertsTestResource.SMS_REPLY_URL, reply))
                .formParams(reply).post("/api/v1/notifier/twilio/sms").then().statusCode(403);
        String twiml = given().header("X-Twilio-Signature", twilioSignature(AlertsTestResource.TWILIO_TOKEN, AlertsTestResource.SMS_REPLY_URL, reply))
                .formParams(reply).post("/api/v1/notifier/twilio/sms").then().statusCode(200).extract().asString();
        assertThat(twiml).contains("<Message>").contains("已确认 #" + a);
        given().get("/api/v1/escalations/" + a).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.equalTo("acknowledged"))
                .body("acknowledgedBy", org.hamcrest.Matchers.equalTo("oncall"))
                .body("acknowledgedVia", org.hamcrest.Matchers.equalTo("sms"));
        given().contentType(ContentType.JSON).body("{\"by\": \"bob\"}").post("/api/v1/escalations/" + a + "/ack").then().statusCode(409)
                .body("escalation.acknowledgedBy", org.hamcrest.Matchers.equalTo("oncall"));

        // The link: opening it (as a mail scanner would) acknowledges nothing; the button does.
        String path = linkB.substring("https://vigil.example".length());
        String page = given().get(path).then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/html")).extract().asString();
        assertThat(page).contains("<form method=\"post\">").contains("State: paging");
        given().formParam("by", "<b>carol</b>").post(path).then().statusCode(200);
        JsonPath b = given().get("/api/v1/escalations/" + pages.get("esc-b").getLong("ack.escalationId")).then().statusCode(200).extract().jsonPath();
        assertThat(b.getString("acknowledgedBy")).isEqualTo("<b>carol</b>");
        assertThat(b.getString("acknowledgedVia")).isEqualTo("link");
        assertThat(given().get(path).then().statusCode(200).extract().asString()).contains("&lt;b&gt;carol&lt;/b&gt;").doesNotContain("<b>carol");
        given().get(path.substring(0, path.length() - 2) + "xx").then().statusCode(404);
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/escalations/" + a + "/ack").then().statusCode(400);

        // The key pressed during the page call: the <Gather> action names the call's outbox row.
        long c = pages.get("esc-c").getLong("ack.escalationId");
        JsonPath log = given().get("/api/v1/notifications?receiver=oncall&limit=1000").then().statusCode(200).extract().jsonPath();
        long outbox = -1;
        for (int i = 0; i < log.getList("notifications").size(); i++) {
            if (log.getString("notifications[" + i + "].key").startsWith("oncall/e" + c + ".")) {
                outbox = log.getLong("notifications[" + i + "].id");
            }
        }
        assertThat(outbox).isPositive();
        var pressed = Map.of("CallSid", "CA1", "Digits", "1", "From", "+15550000000", "To", AlertsTestResource.ONCALL_PHONE);
        String ackUrl = "http://localhost:8080/api/v1/notifier/voice/ack?outbox=" + outbox;
        given().header("X-Twilio-Signature", twilioSignature(AlertsTestResource.TWILIO_TOKEN, ackUrl.replace("outbox=", "outbox=9"), pressed))
                .formParams(pressed).post("/api/v1/notifier/voice/ack?outbox=" + outbox).then().statusCode(403);
        String said = given().header("X-Twilio-Signature", twilioSignature(AlertsTestResource.TWILIO_TOKEN, ackUrl, pressed))
                .formParams(pressed).post("/api/v1/notifier/voice/ack?outbox=" + outbox).then().statusCode(200).extract().asString();
        assertThat(said).contains("<Say language=\"zh-CN\">已确认 #" + c);
        given().get("/api/v1/escalations/" + c).then().statusCode(200).body("acknowledgedVia", org.hamcrest.Matchers.equalTo("voice"));
        given().get("/api/v1/escalations?open=true").then().statusCode(200)
                .body("escalations.state", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.oneOf("paging", "acknowledged", "exhausted")));
    }

    /** Escalation pages (notifications carrying an acknowledgement) about {@code alertname}, by cluster. */
    private static Map<String, JsonPath> pages(String alertname) {
        String hook = ConfigProvider.getConfig().getValue("vigil.notifier.receivers.noc.webhook-url", String.class);
        JsonPath bodies = JsonPath.from(given().get(hook).then().statusCode(200).extract().asString());
        var out = new TreeMap<String, JsonPath>();
        for (int i = 0; i < bodies.getList("$").size(); i++) {
            String prefix = "[" + i + "].";
            if (alertname.equals(bodies.getString(prefix + "groupLabels.alertname")) && bodies.get(prefix + "ack") != null) {
                out.put(bodies.getString(prefix + "groupLabels.cluster"), JsonPath.from(toJson(bodies.get("[" + i + "]"))));
            }
        }
        return out;
    }

    private static String toJson(Object o) {
        try {
            return new ObjectMapper().writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Twilio's request signature: HMAC-SHA1 over the URL and the sorted parameters, Base64. */
    private static String twilioSignature(String token, String url, Map<String, String> params) throws Exception {
        var sb = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> sb.append(k).append(v));
        var mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The statuses of the notifications about {@code alertname} that reached the webhook receiver, in order. */
    private static List<String> hookStatuses(String alertname) {
        String hook = ConfigProvider.getConfig().getValue("vigil.notifier.receivers.noc.webhook-url", String.class);
        JsonPath bodies = JsonPath.from(given().get(hook).then().statusCode(200).extract().asString());
        var out = new ArrayList<String>();
        for (int i = 0; i < bodies.getList("$").size(); i++) {
            if (alertname.equals(bodies.getString("[" + i + "].groupLabels.alertname"))) {
                out.add(bodies.getString("[" + i + "].alerts[0].status"));
            }
        }
        return out;
    }

    private static void awaitUntil(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static double metricValue(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError(name + " not in /q/metrics"));
    }

    private static JsonPath scrapeUntil(KafkaProducer<String, byte[]> producer, Labels labels, double lag, String path,
                                        Predicate<JsonPath> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            var batch = new SampleBatch("api-db9", System.currentTimeMillis(), labels,
                    List.of(new Sample("api_test_lag_seconds", Labels.EMPTY, lag)));
            producer.send(new ProducerRecord<>(Topics.SAMPLES, batch.partitionKey(), SampleBatchCodec.encode(batch))).get();
            last = given().urlEncodingEnabled(false).get(path).then().statusCode(200).extract().jsonPath();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " never matched; last: " + (last == null ? null : last.prettify())
                + "; the store has: " + given().get("/api/v1/query?query=api_test_lag_seconds").asString());
    }
}
