package io.vigil.notifier;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class SmsTextTest {

    @Test
    void shortTextsAreUnchanged() {
        assertThat(SmsText.fit("[FIRING:1] disk full @db-01")).isEqualTo("[FIRING:1] disk full @db-01");
        assertThat(SmsText.fit("磁盘已满")).isEqualTo("磁盘已满");
    }

    @Test
    void gsmTextIsCutTo160SeptetsWithAsciiEllipsis() {
        String fitted = SmsText.fit("x".repeat(300));
        assertThat(fitted).hasSize(160).endsWith("...");
        assertThat(SmsText.isGsm7(fitted)).isTrue();
        assertThat(SmsText.fit("y".repeat(160))).hasSize(160).doesNotContain("...");
    }

    @Test
    void extensionCharactersCountTwice() {
        String braces = "{".repeat(81); // 162 septets
        String fitted = SmsText.fit(braces);
        assertThat(fitted).isEqualTo("{".repeat(78) + "...");
        assertThat(SmsText.fit("{".repeat(80))).isEqualTo("{".repeat(80));
    }

    @Test
    void anyNonGsmCharacterMeansSeventyUcs2Units() {
        String chinese = "支付集群从库复制延迟".repeat(10);
        String fitted = SmsText.fit(chinese);
        assertThat(fitted).hasSize(70).endsWith("…");
        assertThat(fitted.substring(0, 69)).isEqualTo(chinese.substring(0, 69));
        // one Chinese character turns a long ASCII text into UCS-2
        assertThat(SmsText.fit("a".repeat(100) + "中")).hasSize(70).endsWith("…");
    }

    @Test
    void neverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDD25"; // 🔥, two UTF-16 units
        String text = "a".repeat(68) + emoji + "tail";
        String fitted = SmsText.fit(text);
        assertThat(fitted).isEqualTo("a".repeat(68) + "…");
        assertThat(fitted.length()).isLessThanOrEqualTo(70);
        String allEmoji = emoji.repeat(50);
        String cut = SmsText.fit(allEmoji);
        assertThat(cut.length()).isLessThanOrEqualTo(70);
        assertThat(cut).isEqualTo(emoji.repeat(34) + "…");
        assertThat(new String(cut.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo(cut);
    }
}
