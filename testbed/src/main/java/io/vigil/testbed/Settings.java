package io.vigil.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the test bed finds its scripts and puts its services; read from system properties that the
 * parent pom's surefire configuration sets.
 *
 * @param baseDir  {@code vigil.testbed.dir}, default {@code target/testbed}
 * @param repoRoot {@code vigil.repo.root}, else the nearest ancestor of the working directory holding
 *                 {@code deploy/testbed}
 * @param keepData {@code vigil.testbed.keep=true} keeps the data directories after the JVM stops the
 *                 services (they are deleted by default: a MariaDB datadir alone is over 100 MB)
 */
record Settings(Path baseDir, Path repoRoot, boolean keepData) {

    static Settings fromSystemProperties() {
        var baseDir = Path.of(System.getProperty("vigil.testbed.dir", "target/testbed")).toAbsolutePath().normalize();
        var keep = Boolean.getBoolean("vigil.testbed.keep");
        return new Settings(baseDir, findRepoRoot(), keep);
    }

    Path scriptsDir() {
        return repoRoot.resolve("deploy/testbed");
    }

    private static Path findRepoRoot() {
        var configured = System.getProperty("vigil.repo.root");
        if (configured != null && !configured.isBlank()) {
            var root = Path.of(configured).toAbsolutePath().normalize();
            if (Files.isDirectory(root.resolve("deploy/testbed"))) {
                return root;
            }
            throw new TestBedException("vigil.repo.root=" + configured + " has no deploy/testbed directory");
        }
        var start = Path.of("").toAbsolutePath();
        for (var dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("deploy/testbed"))) {
                return dir;
            }
        }
        throw new TestBedException("cannot find deploy/testbed above " + start
                + "; set the system property vigil.repo.root to the repository root");
    }
}
