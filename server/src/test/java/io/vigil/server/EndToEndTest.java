package io.vigil.server;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vigil.testbed.MariaDb;
import io.vigil.testbed.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first end-to-end path, all real: a workload on MariaDB → the collector scrapes it → Kafka
 * → the ingest role copies it into PostgreSQL → the Prometheus-compatible API answers, for
 * RestAssured and for {@code promtool}, Prometheus's own command-line client.
 */
@QuarkusTest
@QuarkusTestResource(value = FleetTestResource.class, restrictToAnnotatedClass = true)
class EndToEndTest {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TestHTTPResource("/")
    URL base;

    private final AtomicBoolean workloadRunning = new AtomicBoolean();
    private Thread workload;

    @BeforeEach
    void startWorkload() {
        MariaDb mariaDb = TestBed.get(MariaDb.class);
        workloadRunning.set(true);
        workload = Thread.ofPlatform().daemon().name("e2e-workload").start(() -> {
            try (Connection c = DriverManager.getConnection(mariaDb.jdbcUrl(), mariaDb.rootUser(), "")) {
                var insert = c.prepareStatement("INSERT INTO e2e.t (v) VALUES (?)");
                var select = c.prepareStatement("SELECT COUNT(*) FROM e2e.t WHERE id > ?");
                long deadline = System.nanoTime() + DEADLINE.toNanos() * 2;
                for (int i = 0; workloadRunning.get() && System.nanoTime() < deadline; i++) {
                    insert.setString(1, "row " + i);
                    insert.executeUpdate();
                    select.setInt(1, i);
                    select.executeQuery().close();
                    Thread.sleep(5);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("workload against MariaDB failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @AfterEach
    void stopWorkload() throws InterruptedException {
        workloadRunning.set(false);
        workload.join(10_000);
    }

    @Test
    void liveQpsOfTheMariaDbIsPositiveThroughTheQueryApi() {
        String selector = "mysql_qps{instance=\"" + FleetTestResource.instance() + "\"}";

        JsonPath instant = awaitNonEmpty(() -> given().baseUri(base.toString())
                .queryParam("query", selector)
                .get("/api/v1/query")
                .then().statusCode(200).extract().jsonPath());

        assertThat(instant.getString("status")).isEqualTo("success");
        assertThat(instant.getString("data.resultType")).isEqualTo("vector");
        Map<String, String> metric = instant.getMap("data.result[0].metric");
        assertThat(metric).containsEntry("__name__", "mysql_qps")
                .containsEntry("cluster", FleetTestResource.CLUSTER)
                .containsEntry("kind", "mysql")
                .containsEntry("service", "checkout");
        assertThat(Double.parseDouble(instant.getString("data.result[0].value[1]"))).isPositive();

        // The same series over a range, as Grafana asks for it (form-encoded POST). The end is rounded
        // up: the first point may be younger than the current whole second, and a range that ends
        // before it has nothing to show.
        long now = Instant.now().getEpochSecond() + 1;
        JsonPath range = given().baseUri(base.toString())
                .formParam("query", selector)
                .formParam("start", String.valueOf(now - 120))
                .formParam("end", String.valueOf(now))
                .formParam("step", "1s")
                .post("/api/v1/query_range")
                .then().statusCode(200).extract().jsonPath();
        assertThat(range.getString("data.resultType")).isEqualTo("matrix");
        List<List<Object>> values = range.getList("data.result[0].values");
        assertThat(values).isNotEmpty();
        assertThat(values).anySatisfy(point -> assertThat(Double.parseDouble((String) point.get(1))).isPositive());

        // The target is up, and its password appears nowhere in what the API shows.
        JsonPath up = given().baseUri(base.toString()).queryParam("query", "up{cluster=\"e2e\"}")
                .get("/api/v1/query").then().statusCode(200).extract().jsonPath();
        assertThat(up.getString("data.result[0].value[1]")).isEqualTo("1");
        assertThat(up.prettify()).doesNotContain(FleetTestResource.MONITOR_PASSWORD);
    }

    @Test
    void promtoolReadsLiveQpsAsARealPrometheusClient() throws Exception {
        String server = base.toString().replaceAll("/$", "");
        String selector = "mysql_qps{cluster=\"" + FleetTestResource.CLUSTER + "\"}";
        // Wait until data exists, then ask promtool for the last two minutes.
        awaitNonEmpty(() -> given().baseUri(server).queryParam("query", selector).get("/api/v1/query").then().extract().jsonPath());

        long now = Instant.now().getEpochSecond() + 1; // rounded up, as above
        String out = run("promtool", "query", "range", "--start=" + (now - 120), "--end=" + now, "--step=1s", server, selector);

        // promtool prints a series line, then "value @[time]" lines.
        assertThat(out).contains("mysql_qps{").contains("cluster=\"e2e\"");
        List<Double> qps = out.lines().filter(l -> l.contains(" @["))
                .map(l -> Double.parseDouble(l.trim().split("\\s+")[0])).toList();
        assertThat(qps).isNotEmpty().anySatisfy(v -> assertThat(v).isPositive());

        String instant = run("promtool", "query", "instant", server, selector);
        assertThat(instant).contains("mysql_qps{").contains("=>");
    }

    @Test
    void zabbixDiscoversTheFleetAndReadsOneValuePerItem() {
        String server = base.toString().replaceAll("/$", "");
        awaitNonEmpty(() -> given().baseUri(server).queryParam("query", "mysql_qps{target=\"e2e-db-1\"}").get("/api/v1/query")
                .then().extract().jsonPath());

        List<Map<String, String>> clusters = given().baseUri(server).get("/api/v1/zabbix/discovery/clusters")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(clusters).contains(Map.of("{#CLUSTER}", FleetTestResource.CLUSTER));
        List<Map<String, String>> instances = given().baseUri(server).queryParam("cluster", FleetTestResource.CLUSTER)
                .get("/api/v1/zabbix/discovery/instances").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(instances).containsExactly(Map.of("{#CLUSTER}", FleetTestResource.CLUSTER, "{#TARGET}", "e2e-db-1",
                "{#INSTANCE}", FleetTestResource.instance(), "{#KIND}", "mysql"));
        List<Map<String, String>> metrics = given().baseUri(server).queryParam("target", "e2e-db-1")
                .get("/api/v1/zabbix/discovery/metrics").then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(metrics).contains(Map.of("{#METRIC}", "mysql_qps", "{#SELECTOR}", "mysql_qps{target=\"e2e-db-1\"}"),
                Map.of("{#METRIC}", "up", "{#SELECTOR}", "up{target=\"e2e-db-1\"}"));

        // An item polls its selector and gets a bare number, as Zabbix's HTTP agent stores it.
        assertThat(given().baseUri(server).queryParam("query", "up{target=\"e2e-db-1\"}").get("/api/v1/zabbix/value")
                .then().statusCode(200).extract().asString()).isEqualTo("1");
        String qps = given().baseUri(server).queryParam("query", "mysql_qps{target=\"e2e-db-1\"}").get("/api/v1/zabbix/value")
                .then().statusCode(200).extract().asString();
        assertThat(Double.parseDouble(qps)).isPositive();
        given().baseUri(server).queryParam("query", "up{target=\"nobody\"}").get("/api/v1/zabbix/value").then().statusCode(404);
        given().baseUri(server).queryParam("query", "{__name__=~\"up|mysql_qps\",target=\"e2e-db-1\"}").get("/api/v1/zabbix/value")
                .then().statusCode(422).body(org.hamcrest.Matchers.startsWith("2 series match"));
        given().baseUri(server).queryParam("query", "sum(").get("/api/v1/zabbix/value").then().statusCode(400);
        given().baseUri(server).get("/api/v1/zabbix/discovery/metrics").then().statusCode(400);
    }

    /**
     * The Zabbix template in dashboards/zabbix, as Zabbix would run it against this server: every HTTP
     * agent item and discovery rule gets a 200 with what its preprocessing reads, every discovery row
     * carries every macro its prototypes use, every item prototype polls a number, and every trigger
     * names an item of its own template.
     */
    @Test
    void theZabbixTemplatePollsWhatVigilServes() throws Exception {
        String server = base.toString().replaceAll("/$", "");
        awaitNonEmpty(() -> given().baseUri(server).queryParam("query", "mysql_qps{target=\"e2e-db-1\"}").get("/api/v1/query")
                .then().extract().jsonPath());
        var macros = Map.of("{$VIGIL.URL}", server, "{$VIGIL.TARGET}", "e2e-db-1", "{$VIGIL.INSTANCE}", FleetTestResource.instance());
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readTree(repoFile("dashboards/zabbix/zbx_vigil_templates.yaml").toFile());
        int polled = 0;
        for (var template : yaml.path("zabbix_export").path("templates")) {
            String name = template.path("template").asText();
            var keys = new java.util.HashSet<String>();
            for (var item : template.path("items")) {
                keys.add(item.path("key").asText());
                assertThat(item.path("type").asText()).as(item.path("key").asText()).isEqualTo("HTTP_AGENT");
                String body = poll(item, macros);
                String jsonPath = item.path("preprocessing").path(0).path("parameters").path(0).asText();
                var json = io.restassured.path.json.JsonPath.from(body);
                if (jsonPath.equals("$.alerts.length()")) {
                    assertThat(json.getList("alerts")).as(item.path("key").asText()).isNotNull();
                } else {
                    assertThat(jsonPath).isEqualTo("$.status");
                    assertThat(json.getString("status")).isEqualTo("success");
                }
                polled++;
            }
            for (var item : template.path("items")) {
                for (var trigger : item.path("triggers")) {
                    var refs = java.util.regex.Pattern.compile("\\(/([^/]+)/([^,)]+)").matcher(trigger.path("expression").asText());
                    while (refs.find()) {
                        assertThat(refs.group(1)).isEqualTo(name);
                        assertThat(keys).contains(refs.group(2));
                    }
                }
            }
            for (var rule : template.path("discovery_rules")) {
                List<Map<String, String>> rows = io.restassured.path.json.JsonPath.from(poll(rule, macros)).getList("$");
                assertThat(rows).as(rule.path("key").asText()).isNotEmpty();
                var used = new java.util.TreeSet<String>();
                var macro = java.util.regex.Pattern.compile("\\{#[A-Z_]+}").matcher(rule.path("host_prototypes").toString()
                        + rule.path("item_prototypes").toString());
                while (macro.find()) {
                    used.add(macro.group());
                }
                assertThat(used).isNotEmpty();
                for (var row : rows) {
                    assertThat(row.keySet()).as("%s row %s", rule.path("key").asText(), row).containsAll(used);
                }
                for (var prototype : rule.path("item_prototypes")) {
                    for (var row : rows.stream().filter(r -> r.getOrDefault("{#METRIC}", "").matches("up|mysql_qps")).toList()) {
                        var withRow = new java.util.HashMap<>(macros);
                        withRow.putAll(row);
                        assertThat(Double.parseDouble(poll(prototype, withRow))).as(row.toString()).isNotNaN();
                        polled++;
                    }
                }
            }
        }
        assertThat(polled).isGreaterThanOrEqualTo(6);
    }

    /** What Zabbix's HTTP agent fetches for an item or rule: its URL with its query fields, macros expanded. */
    private static String poll(com.fasterxml.jackson.databind.JsonNode item, Map<String, String> macros) {
        var request = given();
        for (var field : item.path("query_fields")) {
            request = request.queryParam(field.path("name").asText(), expand(field.path("value").asText(), macros));
        }
        return request.get(expand(item.path("url").asText(), macros)).then().statusCode(200).extract().asString();
    }

    private static String expand(String text, Map<String, String> macros) {
        for (var m : macros.entrySet()) {
            text = text.replace(m.getKey(), m.getValue());
        }
        assertThat(text).as("every macro expanded").doesNotContain("{$").doesNotContain("{#");
        return text;
    }

    private static java.nio.file.Path repoFile(String path) {
        for (var dir = java.nio.file.Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.exists(dir.resolve(path))) {
                return dir.resolve(path);
            }
        }
        throw new IllegalStateException(path + " not found above " + java.nio.file.Path.of("").toAbsolutePath());
    }

    private static JsonPath awaitNonEmpty(Supplier<JsonPath> query) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = query.get();
            List<Object> result = last.getList("data.result");
            if (result != null && !result.isEmpty() && isPositive(last)) {
                return last;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no positive value within " + DEADLINE.toSeconds() + " s; last answer: " + (last == null ? null : last.prettify()));
    }

    private static boolean isPositive(JsonPath answer) {
        String v = answer.getString("data.result[0].value[1]");
        return v != null && Double.parseDouble(v) > 0;
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s");
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("%s exited with output:%n%s", String.join(" ", command), out).isZero();
        return out;
    }
}
