package io.vigil.logs.fingerprint;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each documented departure from pt-query-digest, alone, and the query id computation. */
class FingerprintFixesTest {

    private static final Fingerprinter PT = new Fingerprinter(FingerprintOptions.PT_QUERY_DIGEST);

    private static Fingerprinter only(boolean hex, boolean digits, boolean odku) {
        return new Fingerprinter(new FingerprintOptions(true, hex, digits, odku));
    }

    @Test
    void upperCaseHexIsFoldedLikeLowerCase() {
        var q = "SELECT * FROM t WHERE a = 0xABCDEF";
        assertThat(PT.fingerprint(q)).isEqualTo("select * from t where a = ?abcdef");
        assertThat(only(true, false, false).fingerprint(q)).isEqualTo("select * from t where a = ?");
        assertThat(only(true, false, false).fingerprint("SELECT 0xabcdef")).isEqualTo(PT.fingerprint("SELECT 0xabcdef"));
    }

    @Test
    void digitsInsideIdentifiersAreKept() {
        var q = "SELECT * FROM users_2009 JOIN t1 ON t1.id = users_2009.id WHERE x = 5";
        assertThat(PT.fingerprint(q)).isEqualTo("select * from users_? join t? on t?id = users_?id where x = ?");
        assertThat(only(false, true, false).fingerprint(q))
                .isEqualTo("select * from users_2009 join t1 on t1.id = users_2009.id where x = ?");
        // pt's word-boundary rule for numbers also leaves a free-standing operator alone
        assertThat(PT.fingerprint("SELECT a - 1 FROM t")).isEqualTo("select a ? ? from t");
        assertThat(only(false, true, false).fingerprint("SELECT a - 1 FROM t")).isEqualTo("select a - ? from t");
    }

    @Test
    void onDuplicateKeyUpdateIsKept() {
        var q = "INSERT INTO t (a, b) VALUES (1, 2), (3, 4) ON DUPLICATE KEY UPDATE b = VALUES(b)";
        assertThat(PT.fingerprint(q)).isEqualTo("insert into t (a, b) values(?+)");
        assertThat(only(false, false, true).fingerprint(q))
                .isEqualTo("insert into t (a, b) values(?+) on duplicate key update b = values(b)");
    }

    @Test
    void booleansFoldOnlyInPtQueryDigestMode() {
        assertThat(PT.fingerprint("SELECT * FROM t WHERE a = TRUE")).isEqualTo("select * from t where a = ?");
        assertThat(new Fingerprinter(FingerprintOptions.PT_FINGERPRINT).fingerprint("SELECT * FROM t WHERE a = TRUE"))
                .isEqualTo("select * from t where a = true");
    }

    @Test
    void queryIdIsTheUpperCaseMd5() {
        // pt-query-digest 3.2.1 on a sysbench log: JSON checksum FFFCA4D67EA0A788813031B8BBC3B329 for commit
        assertThat(QueryId.of("commit")).isEqualTo("FFFCA4D67EA0A788813031B8BBC3B329");
        assertThat(QueryId.shortId("commit")).isEqualTo("813031B8BBC3B329");
    }
}
