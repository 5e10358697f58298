package io.vigil.collector.logs;

import io.vigil.logs.fingerprint.Fingerprinter;
import io.vigil.logs.fingerprint.FingerprintOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Digest texts as MariaDB 10.11 and MySQL 8.0 write them meet the fingerprint of the statement they came from. */
class DigestTextTest {

    private static final Fingerprinter FINGERPRINTER = new Fingerprinter(FingerprintOptions.VIGIL);

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            SELECT COUNT ( * ) FROM `shipper_it` . `t` WHERE `v` = ?              | SELECT COUNT(*) FROM shipper_it.t WHERE v = 'a'
            SELECT `c` FROM `sbtest1` WHERE `id` = ?                               | SELECT c FROM sbtest1 WHERE id = 5012
            SELECT `c` FROM `sbtest1` WHERE `id` BETWEEN ? AND ? ORDER BY `c`      | SELECT c FROM sbtest1 WHERE id BETWEEN 10 AND 109 ORDER BY c
            SELECT * FROM `t` WHERE `id` IN (...)                                  | SELECT * FROM t WHERE id IN (1, 2, 3)
            SELECT SUM ( `k` ) FROM `t` WHERE ( `a` = ? OR `b` = ? )               | SELECT SUM(k) FROM t WHERE (a = 1 OR b = 2)
            UPDATE `sbtest1` SET `k` = `k` + ? WHERE `id` = ?                      | UPDATE sbtest1 SET k = k + 1 WHERE id = 17
            """)
    void meetsTheFingerprintOfTheStatement(String digestText, String statement) {
        assertThat(FINGERPRINTER.fingerprint(DigestText.asQuery(digestText))).isEqualTo(FINGERPRINTER.fingerprint(statement));
    }
}
