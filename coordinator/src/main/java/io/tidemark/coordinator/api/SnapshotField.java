package io.tidemark.coordinator.api;

import io.tidemark.common.command.AuroraExport;
import io.tidemark.common.command.AuroraRestore;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Mode;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The spec's {@code snapshot}: which engine takes the snapshot of modes full and all. {@code dump} (the default) is
 * Tidemark's own dump; {@code aurora-export} has AWS snapshot the Aurora cluster and export it to S3 as Parquet;
 * {@code aurora-restore} has AWS restore a snapshot into a cluster of its own, which Tidemark dumps instead of
 * production (the zh seed's small-data procedure). The
 * AWS names are checked against the rules the RDS API applies, so a typo is a 400 at POST, not a failed export an
 * hour later; each refusal names the field, the value and what to write instead.
 */
final class SnapshotField {
    static final String DUMP = "dump";
    static final String AURORA_EXPORT = "aurora-export";
    static final String AURORA_RESTORE = "aurora-restore";
    private static final Set<String> EXPORT_FIELDS = Set.of("cluster", "region", "s3", "iamRole", "kmsKey",
            "snapshotArn", "keepSnapshot");
    private static final Set<String> RESTORE_FIELDS = Set.of("cluster", "region", "snapshotArn", "keepSnapshot",
            "instanceClass", "subnetGroup", "securityGroups", "clusterParameterGroup", "keepRestored");

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
    /** {@code db.<family>.<size>}, or Aurora Serverless v2's {@code db.serverless} */
    private static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9]+(?:\\.[a-z0-9]+)?");
    /** RDS: up to 255 letters, digits, periods, underscores, spaces or hyphens */
    private static final Pattern SUBNET_GROUP = Pattern.compile("[A-Za-z0-9._ -]{1,255}");
    private static final Pattern SECURITY_GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
    /** RDS: a letter first, then letters, digits, hyphens (and the dots of AWS's own default groups) */
    private static final Pattern PARAMETER_GROUP = Pattern.compile("[A-Za-z][A-Za-z0-9.-]{0,254}");

    /**
     * What the spec's snapshot asks for: both null for engine dump, else the one of its engine.
     */
    record Engine(AuroraExport export, AuroraRestore restore) {
        static final Engine DUMP = new Engine(null, null);
    }

    private SnapshotField() {
    }

    /**
     * @param storage the spec's storage as written (null when absent): with aurora-export it must be on the export's
     *                bucket, as the import reads the export through it
     */
    static Engine parse(Mode mode, CreateMigrationRequest.Snapshot snapshot, String storage) {
        if (snapshot == null) {
            return Engine.DUMP;
        }
        if (!mode.snapshots()) {
            throw invalid("snapshot is only for modes full and all, which take one; mode " + mode.code()
                    + " takes none, so leave snapshot out");
        }
        String engine = snapshot.engine() == null ? DUMP : snapshot.engine().strip();
        return switch (engine) {
            case DUMP -> {
                refuseOthers(snapshot, Set.of());
                yield Engine.DUMP;
            }
            case AURORA_EXPORT -> {
                refuseOthers(snapshot, EXPORT_FIELDS);
                yield new Engine(export(snapshot, storage), null);
            }
            case AURORA_RESTORE -> {
                refuseOthers(snapshot, RESTORE_FIELDS);
                yield new Engine(null, restore(snapshot));
            }
            default -> throw invalid("snapshot.engine '" + engine + "' is unknown; use \"dump\" (Tidemark dumps the"
                    + " source itself, the default), \"aurora-export\" (AWS exports an Aurora cluster snapshot to S3)"
                    + " or \"aurora-restore\" (Tidemark dumps a cluster AWS restores from a snapshot)");
        };
    }

    private static AuroraExport export(CreateMigrationRequest.Snapshot snapshot, String storage) {
        Production p = production(snapshot, "export");
        String snapshotArn = p.snapshotArn();
        String cluster = p.cluster();
        String region = p.region();
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

    /** a field of another engine is an error, not ignored: the user meant something by it */
    private static void refuseOthers(CreateMigrationRequest.Snapshot s, Set<String> own) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("cluster", s.cluster());
        fields.put("region", s.region());
        fields.put("s3", s.s3());
        fields.put("iamRole", s.iamRole());
        fields.put("kmsKey", s.kmsKey());
        fields.put("snapshotArn", s.snapshotArn());
        fields.put("keepSnapshot", s.keepSnapshot());
        fields.put("instanceClass", s.instanceClass());
        fields.put("subnetGroup", s.subnetGroup());
        fields.put("securityGroups", s.securityGroups());
        fields.put("clusterParameterGroup", s.clusterParameterGroup());
        fields.put("keepRestored", s.keepRestored());
        for (Map.Entry<String, Object> f : fields.entrySet()) {
            String name = f.getKey();
            if (f.getValue() != null && !own.contains(name)) {
                String owners = EXPORT_FIELDS.contains(name) && RESTORE_FIELDS.contains(name)
                        ? AURORA_EXPORT + " and " + AURORA_RESTORE
                        : EXPORT_FIELDS.contains(name) ? AURORA_EXPORT : AURORA_RESTORE;
                throw invalid("snapshot." + name + " is only for engine " + owners + ", not "
                        + (s.engine() == null ? DUMP : s.engine().strip()) + "; set \"engine\" to the one you mean"
                        + " or leave " + name + " out");
            }
        }
    }

    /** the snapshot's source, which both Aurora engines name alike: production's cluster or a snapshot, and a region */
    private record Production(String cluster, String snapshotArn, String region) {
    }

    private static Production production(CreateMigrationRequest.Snapshot snapshot, String verb) {
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
                    + " the RDS console, e.g. \"orders-prod\"), or snapshot.snapshotArn to " + verb
                    + " an existing snapshot");
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
                    + arnRegion + "'); AWS uses a snapshot in its own region, so leave region out or make them equal");
        }
        return new Production(cluster, snapshotArn, region == null ? arnRegion : region);
    }

    private static AuroraRestore restore(CreateMigrationRequest.Snapshot snapshot) {
        Production p = production(snapshot, "restore");
        String instanceClass = required("snapshot.instanceClass", snapshot.instanceClass(),
                "the DB instance class of the instance Tidemark creates in the restored cluster, e.g."
                        + " \"db.r6g.large\"");
        if (!INSTANCE_CLASS.matcher(instanceClass).matches()) {
            throw invalid("snapshot.instanceClass '" + instanceClass + "' is not a DB instance class; write it like"
                    + " \"db.r6g.large\" (or \"db.serverless\")");
        }
        String subnetGroup = optional(snapshot.subnetGroup());
        if (subnetGroup != null && !SUBNET_GROUP.matcher(subnetGroup).matches()) {
            throw invalid("snapshot.subnetGroup '" + subnetGroup + "' is not a DB subnet group name: up to 255"
                    + " letters, digits, periods, underscores, spaces or hyphens; write the name as aws rds"
                    + " describe-db-subnet-groups shows it, or leave it out for the default VPC's");
        }
        List<String> securityGroups = new ArrayList<>();
        List<String> given = snapshot.securityGroups() == null ? List.of() : snapshot.securityGroups();
        for (int i = 0; i < given.size(); i++) {
            String sg = optional(given.get(i));
            if (sg == null || !SECURITY_GROUP.matcher(sg).matches()) {
                throw invalid("snapshot.securityGroups[" + i + "] '" + given.get(i) + "' is not a VPC security group"
                        + " id; write ids like \"sg-0123456789abcdef0\", not group names");
            }
            securityGroups.add(sg);
        }
        String parameterGroup = required("snapshot.clusterParameterGroup", snapshot.clusterParameterGroup(),
                "a DB cluster parameter group with binlog_format=ROW: a restore with the engine's default group has"
                        + " the binlog off and logs no crash-recovery position to replicate from");
        if (parameterGroup.length() > 255 || !PARAMETER_GROUP.matcher(parameterGroup).matches()) {
            throw invalid("snapshot.clusterParameterGroup '" + parameterGroup + "' is not a DB cluster parameter"
                    + " group name: a letter first, then letters, digits or hyphens");
        }
        if (parameterGroup.toLowerCase(java.util.Locale.ROOT).startsWith("default.")) {
            throw invalid("snapshot.clusterParameterGroup '" + parameterGroup + "' is AWS's default group, whose"
                    + " binlog_format is OFF: the restore would log no crash-recovery position; create a group"
                    + " with binlog_format=ROW (aws rds create-db-cluster-parameter-group, then"
                    + " modify-db-cluster-parameter-group) and name it here");
        }
        if (p.snapshotArn() != null && snapshot.keepSnapshot() != null) {
            throw invalid("snapshot.keepSnapshot is only for a snapshot Tidemark takes; one named by snapshotArn"
                    + " is never deleted, so leave keepSnapshot out");
        }
        return new AuroraRestore(p.cluster(), p.region(), p.snapshotArn(), instanceClass, subnetGroup,
                securityGroups, parameterGroup, Boolean.TRUE.equals(snapshot.keepRestored()),
                Boolean.TRUE.equals(snapshot.keepSnapshot()));
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
