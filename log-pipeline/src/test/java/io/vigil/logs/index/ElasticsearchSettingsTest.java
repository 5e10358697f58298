package io.vigil.logs.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ElasticsearchSettingsTest {

    @Test
    void secretsNeverShowInItsText() {
        var withUser = ElasticsearchSettings.of("https://es-1:9200, https://es-2:9200").withUser("vigil", "s3cret-Pa55");
        var withKey = ElasticsearchSettings.of("http://127.0.0.1:9200").withApiKey("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");

        assertThat(withUser.toString()).contains("es-1", "es-2", "user vigil").doesNotContain("s3cret");
        assertThat(withKey.toString()).contains("API key").doesNotContain("VnVh");
        assertThat(withUser.urls()).hasSize(2);
    }

    @Test
    void aBadUrlIsRefusedSayingWhatItShouldBe() {
        assertThatThrownBy(() -> ElasticsearchSettings.of("es-1:9200")).hasMessageContaining("http(s)://host:port");
        assertThatThrownBy(() -> ElasticsearchSettings.of(" , ")).hasMessageContaining("no Elasticsearch URL");
        assertThatThrownBy(() -> ElasticsearchSettings.of("http://es:9200").withUser("u", "p").withApiKey("k"))
                .hasMessageContaining("not both");
    }

    @Test
    void onlyExactDailyNamesHaveADay() {
        var names = new IndexNames("vigil");
        assertThat(names.day(LogIndex.SLOW, "vigil-slow-2026.12.04")).contains(LocalDate.of(2026, 12, 4));
        assertThat(names.day(LogIndex.SLOW, "vigil-slow-2026.12.04-restored")).isEmpty();
        assertThat(names.day(LogIndex.SLOW, "vigil-errors-2026.12.04")).isEmpty();
        assertThat(names.day(LogIndex.SLOW, "vigil-slow-2026.13.01")).isEmpty();
        assertThatThrownBy(() -> new IndexNames("Vigil Logs")).hasMessageContaining("lower case");
    }
}
