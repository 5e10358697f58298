package io.vigil.bench;

import io.vigil.model.SampleBatch;
import io.vigil.model.codec.SampleBatchCodec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/**
 * Bytes per batch and per sample of the realistic MySQL scrape, wire codec against JSON (plain and
 * gzip'd at java.util.zip's default level). Run with
 * {@code java -cp bench/target/benchmarks.jar io.vigil.bench.CodecSizeReport}.
 */
public final class CodecSizeReport {

    private CodecSizeReport() {
    }

    public static void main(String[] args) {
        SampleBatch batch = MysqlScrape.batch();
        int samples = batch.samples().size();
        byte[] vigil = SampleBatchCodec.encode(batch);
        byte[] json = JsonSampleBatch.encode(batch);
        if (!batch.equals(SampleBatchCodec.decode(vigil)) || !batch.equals(JsonSampleBatch.decode(json))) {
            throw new IllegalStateException("a codec does not round-trip the batch");
        }
        int vigilGz = gzip(vigil).length;
        int jsonGz = gzip(json).length;

        System.out.printf("Realistic MySQL scrape: %d samples (%d with an own label), %d target labels%n",
                samples, batch.samples().stream().filter(s -> !s.labels().isEmpty()).count(), batch.labels().size());
        System.out.printf("%-20s %12s %14s %14s%n", "format", "bytes/batch", "bytes/sample", "vs codec");
        row("vigil codec", vigil.length, samples, vigil.length);
        row("json", json.length, samples, vigil.length);
        row("json + gzip", jsonGz, samples, vigil.length);
        row("vigil codec + gzip", vigilGz, samples, vigil.length);
        System.out.printf("JSON / codec: %.2fx larger; JSON+gzip / codec: %.2fx%n",
                (double) json.length / vigil.length, (double) jsonGz / vigil.length);
        if (args.length > 0 && args[0].equals("--print-json")) {
            System.out.println(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static void row(String name, int bytes, int samples, int codecBytes) {
        System.out.printf("%-20s %12d %14.1f %13.2fx%n", name, bytes, (double) bytes / samples, (double) bytes / codecBytes);
    }

    private static byte[] gzip(byte[] in) {
        var out = new ByteArrayOutputStream();
        try (var gz = new GZIPOutputStream(out)) {
            gz.write(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
