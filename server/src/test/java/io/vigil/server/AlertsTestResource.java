package io.vigil.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vigil.model.SecretCipher;
import io.vigil.testbed.Kafka;
import io.vigil.testbed.Postgres;
import io.vigil.testbed.TestBed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Vigil with its own database ({@code vigil_alerts_api}), the ingest, rules and notifier roles, a
 * short rules tick, and one receiver: a webhook to a local HTTP server that records what it gets.
 */
public class AlertsTestResource implements QuarkusTestResourceLifecycleManager {

    static final String ONCALL_PHONE = "+15550001111";
    static final String TWILIO_TOKEN = "twilio-test-token";
    static final String SMS_REPLY_URL = "https://vigil.example/api/v1/notifier/twilio/sms";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The bodies of the notifications Vigil sent to the webhook, in order; GET /hook returns them. */
    private final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    private HttpServer hook;

    @Override
    public Map<String, String> start() {
        Postgres postgres = TestBed.get(Postgres.class);
        Kafka kafka = TestBed.get(Kafka.class);
        Path routes;
        try {
            hook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            hook.createContext("/hook", exchange -> {
                if (exchange.getRequestMethod().equals("GET")) {
                    // The test reads what arrived: its class may live in another class loader than this resource.
                    byte[] log = JSON.writeValueAsBytes(bodies);
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, log.length);
                    exchange.getResponseBody().write(log);
                } else {
                    bodies.add(JSON.readTree(exchange.getRequestBody()));
                    exchange.sendResponseHeaders(204, -1);
                }
                exchange.close();
            });
            hook.start();
            routes = Files.createTempFile("vigil-routes", ".yaml");
            Files.writeString(routes, """
                    route:
                      receivers: [noc]
                      group_by: [alertname, cluster]
                      group_wait: 0s
                      group_interval: 1s
                      routes:
                        - matchers: ['alertname="EscalationTestRule"']
                          escalation: page
                    escalation_policies:
                      page:
                        levels:
                          - notify: [oncall]
                            escalate_after: 10m
                    """);
            routes.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var config = new HashMap<String, String>();
        config.put("quarkus.datasource.jdbc.url", postgres.createDatabase("vigil_alerts_api"));
        config.put("quarkus.datasource.username", postgres.user());
        config.put("vigil.kafka.bootstrap-servers", kafka.bootstrapServers());
        config.put("vigil.kafka.samples-partitions", "3");
        config.put("vigil.roles", "ingest,rules,notifier");
        config.put("vigil.rules.tick", "200ms");
        config.put("vigil.rules.reload-interval", "200ms");
        config.put("vigil.notifier.routes-file", routes.toString());
        config.put("vigil.notifier.receivers.noc.channels", "webhook");
        config.put("vigil.notifier.receivers.noc.webhook-url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
        config.put("vigil.notifier.receivers.oncall.channels", "webhook");
        config.put("vigil.notifier.receivers.oncall.webhook-url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/hook");
        config.put("vigil.notifier.receivers.oncall.phone", ONCALL_PHONE);
        config.put("vigil.notifier.receivers.oncall.language", "zh-CN");
        // Twilio is configured so that its callbacks are served; its API is the local hook server, never the internet.
        config.put("vigil.notifier.twilio.account-sid", "AC00000000000000000000000000000000");
        config.put("vigil.notifier.twilio.auth-token", TWILIO_TOKEN);
        config.put("vigil.notifier.twilio.from-number", "+15550000000");
        config.put("vigil.notifier.twilio.api-base-url", "http://127.0.0.1:" + hook.getAddress().getPort());
        config.put("vigil.notifier.twilio.sms-reply-url", SMS_REPLY_URL);
        config.put("vigil.notifier.worker.poll-interval", "200ms");
        config.put("vigil.notifier.dispatch.poll-interval", "200ms");
        config.put("vigil.notifier.external-url", "https://vigil.example");
        config.put(SecretCipher.KEY_CONFIG, SecretCipher.newBase64Key());
        return config;
    }

    @Override
    public void stop() {
        // The test bed stops its services at JVM exit; the webhook receiver is this resource's own.
        if (hook != null) {
            hook.stop(0);
        }
    }
}
