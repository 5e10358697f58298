package io.vigil.model;

import org.junit.jupiter.api.Test;

import static io.vigil.model.LabelMatcher.Op.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelMatcherTest {

    private final Labels pay1 = Labels.of("__name__", "mysql_qps", "cluster", "pay-1", "role", "primary");

    @Test
    void regexesAreAnchoredLikePrometheus() {
        assertThat(LabelMatcher.of("cluster", RE, "pay-.*").matches(pay1)).isTrue();
        assertThat(LabelMatcher.of("cluster", RE, "pay").matches(pay1)).isFalse();
        assertThat(LabelMatcher.of("cluster", RE, "ay-1").matches(pay1)).isFalse();
        assertThat(LabelMatcher.of("cluster", NRE, "pay-.*").matches(pay1)).isFalse();
        assertThat(LabelMatcher.of("cluster", RE, "a|pay-1").matches(pay1)).isTrue();
    }

    @Test
    void anAbsentLabelMatchesAsEmpty() {
        assertThat(LabelMatcher.of("idc", EQ, "").matches(pay1)).isTrue();
        assertThat(LabelMatcher.of("idc", NEQ, "").matches(pay1)).isFalse();
        assertThat(LabelMatcher.of("idc", RE, ".*").matchesEmpty()).isTrue();
        assertThat(LabelMatcher.of("idc", RE, ".+").matchesEmpty()).isFalse();
    }

    @Test
    void aBadRegexSaysWhere() {
        assertThatThrownBy(() -> LabelMatcher.of("cluster", RE, "pay-(")).hasMessageContaining("cluster").hasMessageContaining("pay-(");
    }

    @Test
    void rolesParse() {
        assertThat(Role.parse("collector, ingest")).containsExactlyInAnyOrder(Role.COLLECTOR, Role.INGEST);
        assertThat(Role.parse("all")).hasSize(Role.values().length);
        assertThatThrownBy(() -> Role.parse("collector,ingets")).hasMessageContaining("ingets");
    }
}
