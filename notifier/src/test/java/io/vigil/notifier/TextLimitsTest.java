package io.vigil.notifier;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class TextLimitsTest {

    @Test
    void cutsUtf8AtCharacterBoundaries() {
        String chinese = "告警".repeat(2000); // 12000 bytes
        String cut = TextLimits.utf8(chinese, 4096);
        byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
        assertThat(bytes.length).isLessThanOrEqualTo(4096).isGreaterThan(4090);
        assertThat(cut).endsWith("…").doesNotContain("\uFFFD");
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(cut);
    }

    @Test
    void keepsFourByteCharactersWhole() {
        String emoji = "\uD83D\uDE80".repeat(20); // 80 bytes
        String cut = TextLimits.utf8(emoji, 10);
        assertThat(cut).isEqualTo("\uD83D\uDE80…");
        assertThat(TextLimits.utf8("short", 4096)).isEqualTo("short");
    }
}
