package io.tidemark.coordinator.migration;

/**
 * What a mode-import migration's verification found for one table on the target after its import.
 *
 * @param rows     its {@code COUNT(*)}
 * @param valueSum its value checksum ({@code io.tidemark.mysql.checksum.ValueChecksum}), computed only where every
 *                 chunk of the table reported the checksum of its file's values; null otherwise
 * @param kvChecksum TiDB targets only: {@code ADMIN CHECKSUM TABLE}'s answer ({@code crc64_xor}, total KVs and bytes),
 *                   a checksum of the table's key-value pairs that cannot be compared with files or with another
 *                   server's SQL checksum, only with the same table's on a TiDB target later (e.g. after a restore);
 *                   null elsewhere
 */
public record TargetCount(long rows, Long valueSum, String kvChecksum) {
    public TargetCount(long rows, Long valueSum) {
        this(rows, valueSum, null);
    }

    public static TargetCount rowsOnly(long rows) {
        return new TargetCount(rows, null, null);
    }

    public TargetCount withKvChecksum(String kv) {
        return new TargetCount(rows, valueSum, kv);
    }
}
