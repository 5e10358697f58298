package io.vigil.notifier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * WeChat Work (企业微信) group robot: {@code POST /cgi-bin/webhook/send?key=KEY} with a markdown
 * message. The API answers HTTP 200 with {@code errcode}: 0 is success, 45009 (frequency limit,
 * 20 messages a minute per robot) and -1 (system busy) are worth retrying, anything else (93000
 * invalid key, 40058 bad content…) is not. The key is a credential: it never appears in errors.
 */
public final class WeChatWorkChannel implements Channel {

    /** The markdown content limit is 4096 bytes of UTF-8. */
    static final int MAX_CONTENT_BYTES = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final HttpTimeouts timeouts;
    private final HttpClient http;
    private final MessageRenderer renderer;

    public WeChatWorkChannel(URI baseUrl, HttpTimeouts timeouts, MessageRenderer renderer) {
        this.baseUrl = baseUrl;
        this.timeouts = timeouts;
        this.http = timeouts.client();
        this.renderer = renderer;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.WECHAT;
    }

    String body(Notification n) {
        String content = TextLimits.utf8(renderer.render(n.group(), n.receiver().language()).markdown(), MAX_CONTENT_BYTES);
        ObjectNode root = JSON.createObjectNode();
        root.put("msgtype", "markdown");
        root.putObject("markdown").put("content", content);
        return root.toString();
    }

    @Override
    public DeliveryResult deliver(Notification n) throws DeliveryException {
        if (n.receiver().wechatKey().isEmpty()) {
            throw DeliveryException.permanent(n, "receiver has no WeChat Work robot key", null);
        }
        String path = stripSlash(baseUrl.toString()) + "/cgi-bin/webhook/send";
        URI uri = URI.create(path + "?key=" + URLEncoder.encode(n.receiver().wechatKey().reveal(), StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(uri).timeout(timeouts.request())
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body(n), StandardCharsets.UTF_8)).build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw HttpErrors.io(n, path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.retryable(n, "interrupted while posting to " + path, null);
        }
        if (response.statusCode() != 200) {
            throw new DeliveryException(n.context() + ": POST " + path + " answered HTTP " + response.statusCode(),
                    HttpErrors.retryableStatus(response.statusCode()), null);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (IOException e) {
            throw DeliveryException.retryable(n, "POST " + path + " answered with non-JSON: " + HttpErrors.abbreviate(response.body()), null);
        }
        int errcode = answer.path("errcode").asInt(Integer.MIN_VALUE);
        if (errcode == 0) {
            return DeliveryResult.none();
        }
        boolean retryable = errcode == 45009 || errcode == -1;
        throw new DeliveryException(n.context() + ": WeChat Work errcode " + errcode + ": "
                + HttpErrors.abbreviate(answer.path("errmsg").asText("")), retryable, null);
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
