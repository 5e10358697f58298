package io.vigil.logs.fingerprint;

/**
 * Which of Vigil's documented departures from pt-query-digest's fingerprint are on.
 *
 * @param foldBooleans         {@code true}/{@code false} become {@code ?}. pt-query-digest 3.2.1 does this;
 *                             the stand-alone {@code pt-fingerprint} 3.2.1 does not, so compatibility with
 *                             each tool needs its own setting
 * @param foldUpperCaseHex     {@code 0xABCDEF} becomes {@code ?} like {@code 0xabcdef}. pt's number pattern
 *                             is case-sensitive and leaves {@code ?abcdef}, one class per distinct literal
 * @param keepIdentifierDigits digits inside identifiers stay ({@code t1}, {@code users_2009}); pt folds them
 *                             to {@code t?}, {@code users_?}, which merges unrelated tables. Same rule as
 *                             {@code pt-fingerprint --match-embedded-numbers} (a number must start at a word
 *                             boundary), which also keeps a free-standing {@code +} or {@code -} operator:
 *                             {@code a - 1} gives {@code a - ?} where pt gives {@code a ? ?}
 * @param keepOnDuplicateKey   a multi-row {@code INSERT … ON DUPLICATE KEY UPDATE} keeps its update clause;
 *                             pt's early shortening of multi-row inserts drops it, so an upsert and a plain
 *                             insert into the same table share a class
 */
public record FingerprintOptions(boolean foldBooleans, boolean foldUpperCaseHex, boolean keepIdentifierDigits,
                                 boolean keepOnDuplicateKey) {

    /** Identical to pt-query-digest 3.2.1 (its grouping and query ids). */
    public static final FingerprintOptions PT_QUERY_DIGEST = new FingerprintOptions(true, false, false, false);

    /** Identical to {@code pt-fingerprint} 3.2.1 without options. */
    public static final FingerprintOptions PT_FINGERPRINT = new FingerprintOptions(false, false, false, false);

    /** Vigil's default: pt-query-digest plus every fix. */
    public static final FingerprintOptions VIGIL = new FingerprintOptions(true, true, true, true);
}
