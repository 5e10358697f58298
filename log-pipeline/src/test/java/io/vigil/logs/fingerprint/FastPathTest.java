package io.vigil.logs.fingerprint;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The loops of {@link FastPath} must give exactly what the regex port gives, under every option. */
class FastPathTest {

    private static final List<FingerprintOptions> ALL_OPTIONS = List.of(FingerprintOptions.PT_FINGERPRINT,
            FingerprintOptions.PT_QUERY_DIGEST, FingerprintOptions.VIGIL,
            new FingerprintOptions(false, true, false, false), new FingerprintOptions(true, false, true, false));

    private static final String[] TOKENS = {"SELECT", "select", "c", "FROM", "sbtest1", "t1", "tab2", "x_3", "WHERE",
            "id", "=", "1", "-1", "+2", "3.5", "1e5", "0x1f", "0xABC", "0Xab", "b'01'", "'a'", "'it''s'", "'", "'b c'",
            "(", ")", ",", ";", "IN", "in", "VALUES", "value", "NULL", "null", "nullable", "TRUE", "false", "true1",
            "LIMIT", "limit", "OFFSET", "ORDER BY", "order by", "ASC", "asc", "DESC", "UNION", "union all", "AND",
            "BETWEEN", "k+1", "a-b", "a.b", "?", " ", "  ", "\n", "\t", "é", "Ω", "INSERT INTO", "REPLACE INTO",
            "ON DUPLICATE KEY UPDATE", "SET", "x", "b", ".", "-", "+", "_", "users_2009", "select 1 union select 1",
            "IN (1, 2)", "in(?,?)", "VALUES (1),(2)", "values(", "value (", " ,(3)", "(\n1 ,\t2)", "()", "ins", "invalues(1)",
            "ORDER BY a ASC, b asc", "order by x asc"};

    @Test
    void sameAsRegexOnTheCorpus() throws Exception {
        compare(PtFingerprintCompatibilityTest.corpus());
    }

    @Test
    void sameAsRegexOnRandomStatements() {
        var r = new Random(7);
        var queries = new ArrayList<String>();
        for (int n = 0; n < 20_000; n++) {
            var sb = new StringBuilder();
            int len = 1 + r.nextInt(14);
            for (int i = 0; i < len; i++) {
                sb.append(TOKENS[r.nextInt(TOKENS.length)]);
                if (r.nextInt(3) > 0) {
                    sb.append(' ');
                }
            }
            queries.add(sb.toString());
        }
        compare(queries);
    }

    private static void compare(List<String> queries) {
        int fast = 0;
        for (var options : ALL_OPTIONS) {
            var f = new Fingerprinter(options);
            for (var q : queries) {
                assertThat(f.fingerprint(q)).as("%s with %s", q, options).isEqualTo(f.regexFingerprint(q));
                fast += FastPath.applies(q) ? 1 : 0;
            }
        }
        assertThat(fast).as("statements that took the fast path").isGreaterThan(queries.size());
    }
}
