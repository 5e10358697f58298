package io.vigil.logs.fingerprint;

import java.io.IOException;

/** Lets tests in other packages run the real pt-fingerprint the same way the corpus test does. */
public final class PtFingerprintCompatibilityTestAccess {

    private PtFingerprintCompatibilityTestAccess() {
    }

    public static String ptFingerprint(String query) throws IOException, InterruptedException {
        return PtFingerprintCompatibilityTest.ptFingerprint(query);
    }
}
