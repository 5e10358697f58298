package io.vigil.model.codec;

import io.vigil.model.Labels;
import io.vigil.model.Sample;
import io.vigil.model.SampleBatch;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleBatchCodecTest {

    private static SampleBatch batch() {
        return new SampleBatch("pay-db-1", 1_795_311_891_041L,
                Labels.of("cluster", "pay", "instance", "10.0.0.1:3306", "kind", "mysql", "idc", "上海"),
                List.of(Sample.of("mysql_qps", 1234.5),
                        Sample.of("up", 1),
                        new Sample("mysql_replication_lag_seconds", Labels.of("channel", "a"), Double.NaN),
                        Sample.of("mysql_threads_running", Double.POSITIVE_INFINITY),
                        Sample.of("mysql_slow_queries_per_second", -0.0)));
    }

    @Test
    void roundTripKeepsEveryFieldIncludingSpecialValues() {
        SampleBatch original = batch();
        SampleBatch decoded = SampleBatchCodec.decode(SampleBatchCodec.encode(original));

        assertThat(decoded.targetId()).isEqualTo("pay-db-1");
        assertThat(decoded.timestampMillis()).isEqualTo(1_795_311_891_041L);
        assertThat(decoded.labels()).isEqualTo(original.labels());
        assertThat(decoded.labels().get("idc")).isEqualTo("上海");
        assertThat(decoded.samples()).hasSize(5);
        assertThat(decoded.samples().get(0)).isEqualTo(Sample.of("mysql_qps", 1234.5));
        assertThat(decoded.samples().get(2).labels().get("channel")).isEqualTo("a");
        assertThat(decoded.samples().get(2).value()).isNaN();
        assertThat(decoded.samples().get(3).value()).isInfinite();
        assertThat(Double.doubleToRawLongBits(decoded.samples().get(4).value())).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    @Test
    void aPlainGaugeCostsItsNameAndTenBytes() {
        var empty = new SampleBatch("t", 0, Labels.EMPTY, List.of());
        var one = new SampleBatch("t", 0, Labels.EMPTY, List.of(Sample.of("mysql_qps", 1)));
        int perSample = SampleBatchCodec.encode(one).length - SampleBatchCodec.encode(empty).length;
        // 1 length byte + 9 name bytes + 1 label-count byte + 8 value bytes
        assertThat(perSample).isEqualTo(1 + "mysql_qps".length() + 1 + 8);
    }

    @Test
    void refusesForeignAndFutureFormatsWithAClearMessage() {
        byte[] bytes = SampleBatchCodec.encode(batch());
        byte[] json = "{\"a\":1}".getBytes();
        assertThatThrownBy(() -> SampleBatchCodec.decode(json))
                .isInstanceOf(CodecException.class).hasMessageContaining("not a sample batch");
        bytes[1] = 2;
        assertThatThrownBy(() -> SampleBatchCodec.decode(bytes))
                .isInstanceOf(CodecException.class).hasMessageContaining("version 2 is not supported");
    }

    @Test
    void everyTruncationIsDetectedNeverMisread() {
        byte[] bytes = SampleBatchCodec.encode(batch());
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThatThrownBy(() -> SampleBatchCodec.decode(cut)).as("cut at %d", len).isInstanceOf(CodecException.class);
        }
    }

    @Test
    void trailingGarbageAndHugeLengthsAreRejected() {
        byte[] bytes = SampleBatchCodec.encode(batch());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThatThrownBy(() -> SampleBatchCodec.decode(longer)).hasMessageContaining("trailing bytes");

        // a target-id length of 2^35 must be refused before any allocation
        byte[] huge = {'V', 1, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01};
        assertThatThrownBy(() -> SampleBatchCodec.decode(huge)).hasMessageContaining("exceeds the limit");
    }
}
