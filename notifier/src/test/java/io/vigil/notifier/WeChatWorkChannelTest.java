package io.vigil.notifier;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.model.Labels;
import io.vigil.model.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The group robot API against a local server that answers like qyapi.weixin.qq.com. */
class WeChatWorkChannelTest {

    private static final String KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa";
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpStub stub;
    private WeChatWorkChannel channel;
    private final Receiver ops = Receiver.named("ops", Language.ZH_CN, ChannelKind.WECHAT).withWechatKey(Secret.of(KEY));

    @BeforeEach
    void start() throws Exception {
        stub = new HttpStub(r -> HttpStub.Reply.json(200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
        channel = new WeChatWorkChannel(stub.baseUri(), new HttpTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5)), Fixtures.RENDERER);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void postsMarkdownToTheRobotWebhook() throws Exception {
        var group = Fixtures.chinese("wx-1");
        channel.deliver(Fixtures.notification(group, ops, ChannelKind.WECHAT));

        var r = stub.requests().getFirst();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.path()).isEqualTo("/cgi-bin/webhook/send");
        assertThat(r.query()).containsExactly(java.util.Map.entry("key", KEY));
        assertThat(r.header("Content-Type")).startsWith("application/json");
        String expectedContent = Fixtures.RENDERER.render(group, Language.ZH_CN).markdown();
        assertThat(JSON.readTree(r.body())).isEqualTo(JSON.createObjectNode().put("msgtype", "markdown")
                .set("markdown", JSON.createObjectNode().put("content", expectedContent)));
        assertThat(expectedContent).startsWith("**<font color=\"warning\">[告警:1][严重]");
    }

    @Test
    void longContentIsCutTo4096Utf8Bytes() throws Exception {
        var alerts = new ArrayList<Alert>();
        for (int i = 0; i < 60; i++) {
            alerts.add(Fixtures.alert("从库延迟" + i, "支付集群从库复制延迟超过十二分钟" + i, Severity.NORMAL, "instance", "pay-" + i));
        }
        channel.deliver(Fixtures.notification(new AlertGroup("wx-2", Labels.EMPTY, alerts), ops, ChannelKind.WECHAT));

        String content = JSON.readTree(stub.requests().getFirst().body()).path("markdown").path("content").asText();
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isLessThanOrEqualTo(4096).isGreaterThan(4000);
        assertThat(content).endsWith("…").doesNotContain("\uFFFD");
    }

    @Test
    void rateLimitIsRetryableInvalidKeyIsNotAndNeitherShowsTheKey() {
        var n = Fixtures.notification(Fixtures.replicationLag("wx-3"), ops, ChannelKind.WECHAT);

        stub.answer(r -> HttpStub.Reply.json(200, "{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}"));
        var limited = catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n));
        assertThat(limited.retryable()).isTrue();
        assertThat(limited.getMessage()).contains("channel=wechat receiver=ops", "45009");

        stub.answer(r -> HttpStub.Reply.json(200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url, hint: [1700000000_1_xxx]\"}"));
        var invalid = catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n));
        assertThat(invalid.retryable()).isFalse();

        stub.answer(r -> new HttpStub.Reply(502, "text/html", "<html>bad gateway</html>", java.util.Map.of()));
        assertThat(catchThrowableOfType(DeliveryException.class, () -> channel.deliver(n)).retryable()).isTrue();

        for (var e : List.of(limited, invalid)) {
            assertThat(TwilioChannelsTest.stackTrace(e)).doesNotContain(KEY);
        }
    }

    @Test
    void unreachableRobotIsRetryableWithoutTheKey() throws Exception {
        stub.close();
        var e = catchThrowableOfType(DeliveryException.class,
                () -> channel.deliver(Fixtures.notification(Fixtures.replicationLag("wx-4"), ops, ChannelKind.WECHAT)));
        assertThat(e.retryable()).isTrue();
        assertThat(TwilioChannelsTest.stackTrace(e)).doesNotContain(KEY).contains("/cgi-bin/webhook/send");
    }
}
