package io.vigil.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs short-lived command-line tools (the service scripts, psql, mariadb) and collects their output. */
final class Processes {

    /** {@code stderr} holds only what this run wrote, even when it was appended to a shared log. */
    record Result(int exitCode, String stdout, String stderr) {

        boolean ok() {
            return exitCode == 0;
        }
    }

    private Processes() {
    }

    /**
     * @param stdin     fed to the process and closed (so a script that reads stdin never waits on us)
     * @param stderrLog when not null, stderr is appended there so long-lived logs survive the test
     */
    static Result run(List<String> command, Map<String, String> env, String stdin, Path stderrLog,
                      Duration timeout) {
        var builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        long logOffset = 0;
        if (stderrLog != null) {
            logOffset = sizeOf(stderrLog);
            builder.redirectError(ProcessBuilder.Redirect.appendTo(stderrLog.toFile()));
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new TestBedException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
        var stdout = drain(process.getInputStream());
        var stderr = stderrLog == null ? drain(process.getErrorStream()) : CompletableFuture.completedFuture("");
        feed(process.getOutputStream(), stdin);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new TestBedException("timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command)
                        + (stderrLog == null ? "" : "; its output is in " + stderrLog));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TestBedException("interrupted while running " + String.join(" ", command), e);
        }
        String err = stderrLog == null ? stderr.join() : readFrom(stderrLog, logOffset);
        return new Result(process.exitValue(), stdout.join(), err);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        var result = new CompletableFuture<String>();
        Thread.ofVirtual().name("testbed-drain").start(() -> {
            try (in) {
                result.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                result.complete("<unreadable: " + e.getMessage() + ">");
            }
        });
        return result;
    }

    private static void feed(OutputStream out, String stdin) {
        try (out) {
            out.write(stdin.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // The process exited or closed its stdin without reading it: it did not want it.
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String readFrom(Path file, long offset) {
        try {
            byte[] all = Files.readAllBytes(file);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** The last {@code lines} lines of a text, for error messages that must stay readable. */
    static String tail(String text, int lines) {
        var all = text.strip().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
