package io.vigil.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Speaks the part of Twilio's REST API the channels use: create and list Messages, create Calls,
 * with Basic authentication against one account SID and token, and JSON shaped like Twilio's.
 * {@link #failNext} makes it answer with a Twilio error document instead.
 */
final class TwilioStub implements AutoCloseable {

    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "tok-4f1d2a9c8b7e6d5c4b3a29181716150f";
    static final String FROM = "+15005550006";

    private static final Pattern PATH = Pattern.compile("/2010-04-01/Accounts/([^/]+)/(Messages|Calls)\\.json");
    private static final DateTimeFormatter RFC_2822 = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpStub http;
    private final AtomicInteger counter = new AtomicInteger();
    private final List<ObjectNode> messages = new CopyOnWriteArrayList<>();
    private final AtomicReference<HttpStub.Reply> failure = new AtomicReference<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    TwilioStub() throws IOException {
        http = new HttpStub(this::handle);
    }

    URI baseUrl() {
        return http.localhostUri();
    }

    TwilioSettings settings() {
        return settings(TOKEN);
    }

    TwilioSettings settings(String token) {
        return new TwilioSettings(SID, io.vigil.model.Secret.of(token), FROM, URI.create("https://vigil.example.com/api/v1/notifier/voice/ack"),
                java.util.Optional.of(baseUrl()));
    }

    /** The next {@code times} requests get {@code status} with a Twilio error body. */
    void failNext(int times, int status, int code, String message) {
        failure.set(HttpStub.Reply.json(status, "{\"code\": " + code + ", \"message\": \"" + message
                + "\", \"more_info\": \"https://www.twilio.com/docs/errors/" + code + "\", \"status\": " + status + "}"));
        failuresLeft.set(times);
    }

    List<HttpStub.Recorded> posts(String resource) {
        return http.requests("POST", "/" + resource + ".json");
    }

    List<HttpStub.Recorded> requests() {
        return http.requests();
    }

    /** A message that Twilio has, as if sent by a worker that died before recording it. */
    String preload(String to, String body) {
        var m = message(to, FROM, body);
        messages.add(m);
        return m.get("sid").asText();
    }

    private HttpStub.Reply handle(HttpStub.Recorded r) {
        Matcher m = PATH.matcher(r.path());
        if (!m.matches()) {
            return HttpStub.Reply.json(404, "{\"code\": 20404, \"message\": \"The requested resource " + r.path()
                    + " was not found\", \"more_info\": \"https://www.twilio.com/docs/errors/20404\", \"status\": 404}");
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes());
        if (!m.group(1).equals(SID) || !expected.equals(r.header("Authorization"))) {
            return HttpStub.Reply.json(401, "{\"code\": 20003, \"message\": \"Authenticate\", \"more_info\":"
                    + " \"https://www.twilio.com/docs/errors/20003\", \"status\": 401}");
        }
        if (failuresLeft.getAndDecrement() > 0) {
            return failure.get();
        }
        if (m.group(2).equals("Messages") && r.method().equals("GET")) {
            return list(r);
        }
        var form = r.form();
        if (m.group(2).equals("Messages")) {
            ObjectNode msg = message(form.get("To"), form.get("From"), form.get("Body"));
            messages.add(msg);
            return HttpStub.Reply.json(201, msg.toString());
        }
        return HttpStub.Reply.json(201, call(form.get("To"), form.get("From")).toString());
    }

    private HttpStub.Reply list(HttpStub.Recorded r) {
        var q = r.query();
        ObjectNode page = JSON.createObjectNode();
        var array = page.putArray("messages");
        messages.stream().filter(msg -> msg.get("to").asText().equals(q.get("To")) && msg.get("from").asText().equals(q.get("From")))
                .forEach(array::add);
        String uri = "/2010-04-01/Accounts/" + SID + "/Messages.json?PageSize=50&Page=0";
        page.put("end", array.size() == 0 ? 0 : array.size() - 1);
        page.put("first_page_uri", uri);
        page.putNull("next_page_uri");
        page.put("page", 0);
        page.put("page_size", 50);
        page.putNull("previous_page_uri");
        page.put("start", 0);
        page.put("uri", uri);
        return HttpStub.Reply.json(200, page.toString());
    }

    private ObjectNode message(String to, String from, String body) {
        String sid = String.format("SM%032x", counter.incrementAndGet());
        String now = RFC_2822.format(ZonedDateTime.now(ZoneOffset.UTC));
        ObjectNode o = JSON.createObjectNode();
        o.put("account_sid", SID);
        o.put("api_version", "2010-04-01");
        o.put("body", body);
        o.put("date_created", now);
        o.putNull("date_sent");
        o.put("date_updated", now);
        o.put("direction", "outbound-api");
        o.putNull("error_code");
        o.putNull("error_message");
        o.put("from", from);
        o.putNull("messaging_service_sid");
        o.put("num_media", "0");
        o.put("num_segments", "1");
        o.putNull("price");
        o.put("price_unit", "USD");
        o.put("sid", sid);
        o.put("status", "queued");
        o.putObject("subresource_uris").put("media", "/2010-04-01/Accounts/" + SID + "/Messages/" + sid + "/Media.json");
        o.put("to", to);
        o.put("uri", "/2010-04-01/Accounts/" + SID + "/Messages/" + sid + ".json");
        return o;
    }

    private ObjectNode call(String to, String from) {
        String sid = String.format("CA%032x", counter.incrementAndGet());
        String now = RFC_2822.format(ZonedDateTime.now(ZoneOffset.UTC));
        ObjectNode o = JSON.createObjectNode();
        o.put("account_sid", SID);
        o.putNull("annotation");
        o.putNull("answered_by");
        o.put("api_version", "2010-04-01");
        o.putNull("caller_name");
        o.put("date_created", now);
        o.put("date_updated", now);
        o.put("direction", "outbound-api");
        o.putNull("duration");
        o.putNull("end_time");
        o.put("from", from);
        o.put("from_formatted", from);
        o.putNull("group_sid");
        o.putNull("parent_call_sid");
        o.put("phone_number_sid", "PN0123456789abcdef0123456789abcdef");
        o.putNull("price");
        o.put("price_unit", "USD");
        o.put("sid", sid);
        o.putNull("start_time");
        o.put("status", "queued");
        o.putObject("subresource_uris").put("notifications", "/2010-04-01/Accounts/" + SID + "/Calls/" + sid + "/Notifications.json");
        o.put("to", to);
        o.put("to_formatted", to);
        o.putNull("trunk_sid");
        o.put("uri", "/2010-04-01/Accounts/" + SID + "/Calls/" + sid + ".json");
        o.putNull("queue_time");
        return o;
    }

    @Override
    public void close() {
        http.close();
    }
}
