package io.tidemark.snapshot.aurora;

import io.tidemark.common.id.MigrationId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names Tidemark gives what it creates in AWS, derived from the migration and the snapshot attempt (its epoch),
 * so that a restarted snapshot service finds its own snapshot and export again by name instead of starting second
 * ones, and a retried attempt never collides with an earlier one (AWS keeps export identifiers, even of ended tasks).
 * Both follow RDS's identifier rules: letters, digits and hyphens, a letter first, no hyphen last and none doubled.
 */
final class AwsNames {
    /** RDS's limit for an export task identifier */
    static final int MAX_EXPORT_ID = 60;
    /** RDS's limit for a DB cluster snapshot identifier */
    static final int MAX_SNAPSHOT_ID = 255;
    /** RDS's limit for a DB cluster or DB instance identifier */
    static final int MAX_DB_ID = 63;
    private static final String PREFIX = "tidemark-";
    private static final int HASH_CHARS = 8;

    private AwsNames() {
    }

    /** {@code tidemark-<migration>-e<epoch>}: the cluster snapshot of that attempt */
    static String snapshotId(MigrationId migration, long epoch) {
        return name(migration, "-e" + epoch, MAX_SNAPSHOT_ID);
    }

    /** {@code tidemark-<migration>-e<epoch>}, shortened with a hash of the migration id past 60 characters */
    static String exportTaskId(MigrationId migration, long epoch) {
        return name(migration, "-e" + epoch, MAX_EXPORT_ID);
    }

    /** {@code tidemark-<migration>-e<epoch>-r}: the DB cluster restored from that attempt's snapshot */
    static String restoredClusterId(MigrationId migration, long epoch) {
        return name(migration, "-e" + epoch + "-r", MAX_DB_ID);
    }

    /** {@code tidemark-<migration>-e<epoch>-r1}: the one DB instance in the restored cluster */
    static String restoredInstanceId(MigrationId migration, long epoch) {
        return name(migration, "-e" + epoch + "-r1", MAX_DB_ID);
    }

    private static String name(MigrationId migration, String suffix, int max) {
        // a migration id is [a-z0-9-]: only doubled or leading/trailing hyphens break RDS's rules
        String body = migration.value().replaceAll("-{2,}", "-").replaceAll("^-+|-+$", "");
        String whole = PREFIX + body + suffix;
        if (whole.length() <= max && body.equals(migration.value())) {
            return whole;
        }
        // shortened or rewritten: a hash of the id as given keeps two migrations apart
        String hash = sha256(migration.value()).substring(0, HASH_CHARS);
        int room = max - PREFIX.length() - suffix.length() - HASH_CHARS - 1;
        String kept = body.length() > room ? body.substring(0, room).replaceAll("-+$", "") : body;
        return PREFIX + (kept.isEmpty() ? "" : kept + "-") + hash + suffix;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
