package io.tidemark.coordinator.api;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Mode;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * The spec's {@code snapshot}: which engine takes the snapshot of modes full and all. {@code dump} (the default) is
 * Tidemark's own dump; {@code aurora-export} has AWS snapshot the Aurora cluster and export it to S3 as Parquet. The
 * AWS names are checked against the rules the RDS API applies, so a typo is a 400 at POST, not a failed export an
 * hour later; each refusal names the field, the value and what to write instead.
 */
final class SnapshotField {
    static final String DUMP = "dump";
    static final String AURORA_EXPORT = "aurora-export";

    /** RDS: 1–63 letters, digits or hyphens; a letter first; no hyphen last and no two in a row */
    private static final Pattern CLUSTER_ID = Pattern.compile("[A-Za-z](?:-?[A-Za-z0-9])*");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(?:-[a-z]+)+-\\d");
    /** S3's bucket naming rules (the general-purpose ones; no upper case, no underscore) */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
    private static final Pattern KMS_KEY = Pattern.compile("[\\w:/+=,.@-]{1,2048}");
    /** {@code arn:aws:rds:<region>:<account>:cluster-snapshot:<name>}; group 1 is the region */
    private static final Pattern SNAPSHOT_ARN =
            Pattern.compile("arn:aws[a-z-]*:rds:([a-z0-9-]+):\\d{12}:cluster-snapshot:[A-Za-z][A-Za-z0-9:-]{0,254}");

    private SnapshotField() {
    }

    /**
     * @param storage the spec's storage as written (null when absent): with aurora-export it must be on the export's
     *                bucket, as the import reads the export through it
     * @return the Aurora export, or null for engine dump
     */
    static AuroraExport parse(Mode mode, CreateMigrationRequest.Snapshot snapshot, String storage) {
        if (snapshot == null) {
            return null;
        }
        if (!mode.snapshots()) {
            throw invalid("snapshot is only for modes full and all, which take one; mode " + mode.code()
                    + " takes none, so leave snapshot out");
        }
        String engine = snapshot.engine() == null ? DUMP : snapshot.engine().strip();
        if (DUMP.equals(engine)) {
            refuseAwsFields(snapshot);
            return null;
        }
        if (!AURORA_EXPORT.equals(engine)) {
            throw invalid("snapshot.engine '" + engine + "' is unknown; use \"dump\" (Tidemark dumps the source"
                    + " itself, the default) or \"aurora-export\" (AWS exports an Aurora cluster snapshot to S3)");
        }
        String snapshotArn = optional(snapshot.snapshotArn());
        String arnRegion = null;
        if (snapshotArn != null) {
            var m = SNAPSHOT_ARN.matcher(snapshotArn);
            if (!m.matches()) {
                throw invalid("snapshot.snapshotArn '" + snapshotArn + "' is not a DB cluster snapshot ARN; write"
                        + " it as aws rds describe-db-cluster-snapshots shows it, e.g."
                        + " \"arn:aws:rds:us-east-1:123456789012:cluster-snapshot:orders-2026-12-01\"");
            }
            arnRegion = m.group(1);
        }
        String cluster = optional(snapshot.cluster());
        if (cluster == null && snapshotArn == null) {
            throw invalid("snapshot.cluster is missing; give the Aurora DB cluster identifier to snapshot (as in"
                    + " the RDS console, e.g. \"orders-prod\"), or snapshot.snapshotArn to export an existing snapshot");
        }
        if (cluster != null && (cluster.length() > 63 || !CLUSTER_ID.matcher(cluster).matches())) {
            throw invalid("snapshot.cluster '" + cluster + "' is not a DB cluster identifier: 1 to 63 letters,"
                    + " digits or hyphens, a letter first, no hyphen last and no two hyphens in a row; use the"
                    + " identifier, not the endpoint's host name");
        }
        String region = optional(snapshot.region());
        if (region != null && !REGION.matcher(region).matches()) {
            throw invalid("snapshot.region '" + region + "' is not an AWS region; write it like \"us-east-1\","
                    + " or leave it out to use the snapshot service's tidemark.aws.rds.region");
        }
        if (region != null && arnRegion != null && !region.equals(arnRegion)) {
            throw invalid("snapshot.region '" + region + "' differs from the region of snapshot.snapshotArn ('"
                    + arnRegion + "'); an export runs in its snapshot's region, so leave region out or make them equal");
        }
        region = region == null ? arnRegion : region;
        URI s3 = s3(snapshot.s3());
        String bucket = s3.getRawAuthority();
        String prefix = trimSlashes(s3.getPath());
        if (storage != null && !storage.isBlank()) {
            URI at = URI.create(storage.strip());
            if (!"s3".equalsIgnoreCase(at.getScheme()) || !bucket.equals(at.getRawAuthority())) {
                throw invalid("storage must be on the export's bucket (s3://" + bucket + "/…) with engine"
                        + " aurora-export, as the import reads the export through it; leave storage out to use"
                        + " snapshot.s3, or give s3://" + bucket + "/… with the parameters the services need");
            }
        }
        String iamRole = required("snapshot.iamRole", snapshot.iamRole(),
                "the ARN of the IAM role the export assumes to write the bucket, e.g."
                        + " \"arn:aws:iam::123456789012:role/rds-s3-export\"");
        if (!ROLE_ARN.matcher(iamRole).matches()) {
            throw invalid("snapshot.iamRole '" + iamRole + "' is not an IAM role ARN; write it like"
                    + " \"arn:aws:iam::123456789012:role/rds-s3-export\"");
        }
        String kmsKey = required("snapshot.kmsKey", snapshot.kmsKey(),
                "the KMS key the export encrypts with (key ARN, key id or alias, e.g. \"alias/rds-export\")");
        if (!KMS_KEY.matcher(kmsKey).matches()) {
            throw invalid("snapshot.kmsKey '" + kmsKey + "' is not a KMS key ARN, id or alias; it holds no spaces,"
                    + " e.g. \"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab\"");
        }
        boolean keep = Boolean.TRUE.equals(snapshot.keepSnapshot());
        if (snapshotArn != null && snapshot.keepSnapshot() != null) {
            throw invalid("snapshot.keepSnapshot is only for a snapshot Tidemark takes; one named by snapshotArn"
                    + " is never deleted, so leave keepSnapshot out");
        }
        return new AuroraExport(cluster, region, bucket, prefix, iamRole, kmsKey, snapshotArn, keep);
    }

    private static void refuseAwsFields(CreateMigrationRequest.Snapshot s) {
        String[][] fields = {{"cluster", s.cluster()}, {"region", s.region()}, {"s3", s.s3()},
                {"iamRole", s.iamRole()}, {"kmsKey", s.kmsKey()}, {"snapshotArn", s.snapshotArn()},
                {"keepSnapshot", s.keepSnapshot() == null ? null : s.keepSnapshot().toString()}};
        for (String[] f : fields) {
            if (f[1] != null) {
                throw invalid("snapshot." + f[0] + " is only for engine aurora-export; engine dump reads the"
                        + " source itself, so set \"engine\": \"aurora-export\" or leave " + f[0] + " out");
            }
        }
    }

    private static URI s3(String value) {
        String s3 = required("snapshot.s3", value,
                "the S3 location AWS exports to, e.g. \"s3://my-bucket/exports/orders\"");
        URI uri;
        try {
            uri = URI.create(s3);
        } catch (IllegalArgumentException e) {
            throw invalid("snapshot.s3 '" + s3 + "' is not a URI; write it as s3://bucket/prefix");
        }
        // an authority that is no host name (an underscore, upper case) has no getHost(): name the bucket anyway
        if (!"s3".equals(uri.getScheme()) || uri.getRawAuthority() == null) {
            throw invalid("snapshot.s3 '" + s3 + "' is not an S3 location; write it as s3://bucket/prefix");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw invalid("snapshot.s3 '" + s3 + "' has parameters; AWS's export takes a bucket and a prefix only,"
                    + " so write s3://bucket/prefix and put endpoint or credential parameters on storage");
        }
        String bucket = uri.getRawAuthority();
        if (!BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
            throw invalid("snapshot.s3 bucket '" + bucket + "' is not an S3 bucket name: 3 to 63 lower-case"
                    + " letters, digits, dots or hyphens, a letter or digit at both ends");
        }
        return uri;
    }

    private static String trimSlashes(String path) {
        String p = path == null ? "" : path;
        int from = 0;
        int to = p.length();
        while (from < to && p.charAt(from) == '/') {
            from++;
        }
        while (to > from && p.charAt(to - 1) == '/') {
            to--;
        }
        return p.substring(from, to);
    }

    private static String optional(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String required(String field, String value, String what) {
        String v = optional(value);
        if (v == null) {
            throw invalid(field + " is missing; give " + what);
        }
        return v;
    }

    private static TidemarkException invalid(String detail) {
        return new TidemarkException(ErrorCode.INVALID_SPEC, detail);
    }
}
