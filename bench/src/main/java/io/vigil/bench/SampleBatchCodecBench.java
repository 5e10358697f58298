package io.vigil.bench;

import io.vigil.model.SampleBatch;
import io.vigil.model.codec.SampleBatchCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Encode and decode of one realistic MySQL scrape ({@link MysqlScrape}, 63 samples) with the Kafka
 * wire codec, against the same batch as JSON through Jackson. One operation = one whole batch;
 * divide by {@link #SAMPLES} for per-sample cost. Annotated defaults are overridden by the
 * command line of {@code run-codec.sh}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SampleBatchCodecBench {

    public static final int SAMPLES = MysqlScrape.batch().samples().size();

    private SampleBatch batch;
    private byte[] vigilBytes;
    private byte[] jsonBytes;

    @Setup
    public void setUp() {
        batch = MysqlScrape.batch();
        vigilBytes = SampleBatchCodec.encode(batch);
        jsonBytes = JsonSampleBatch.encode(batch);
        // Both sides must carry the whole batch, or the comparison means nothing.
        requireRoundTrip("vigil codec", SampleBatchCodec.decode(vigilBytes));
        requireRoundTrip("json", JsonSampleBatch.decode(jsonBytes));
    }

    private void requireRoundTrip(String codec, SampleBatch decoded) {
        if (!batch.equals(decoded)) {
            throw new IllegalStateException(codec + " does not round-trip the batch:\n" + batch + "\n" + decoded);
        }
    }

    @Benchmark
    public byte[] vigilEncode() {
        return SampleBatchCodec.encode(batch);
    }

    @Benchmark
    public SampleBatch vigilDecode() {
        return SampleBatchCodec.decode(vigilBytes);
    }

    @Benchmark
    public byte[] jsonEncode() {
        return JsonSampleBatch.encode(batch);
    }

    @Benchmark
    public SampleBatch jsonDecode() {
        return JsonSampleBatch.decode(jsonBytes);
    }
}
