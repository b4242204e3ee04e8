package io.tidemark.common.command;

import java.util.Objects;

/**
 * A snapshot taken by AWS instead of by Tidemark's own dump (spec {@code "snapshot": {"engine": "aurora-export"}}):
 * an Aurora cluster snapshot exported to S3 as Parquet by {@code StartExportTask}. Every value is already validated;
 * the names follow the RDS API's parameters they are sent as.
 *
 * @param cluster      the DB cluster identifier to snapshot ({@code CreateDBClusterSnapshot}); null when
 *                     {@code snapshotArn} names an existing snapshot
 * @param region       the cluster's AWS region; null = the snapshot service's {@code tidemark.aws.rds.region}
 * @param bucket       the export's {@code S3BucketName}
 * @param prefix       the export's {@code S3Prefix}, without leading or trailing {@code /}; empty for the bucket's root
 * @param iamRole      {@code IamRoleArn}: the role AWS's export assumes to write the bucket
 * @param kmsKey       {@code KmsKeyId}: the KMS key (ARN, id or alias) the export encrypts with
 * @param snapshotArn  an existing cluster snapshot to export instead of taking one; null = Tidemark takes one
 * @param keepSnapshot keep the snapshot Tidemark took after the migration no longer needs it (never deletes one
 *                     it did not take)
 */
public record AuroraExport(String cluster, String region, String bucket, String prefix, String iamRole, String kmsKey,
                           String snapshotArn, boolean keepSnapshot) {
    public AuroraExport {
        if (cluster == null && snapshotArn == null) {
            throw new IllegalArgumentException("an Aurora export needs a cluster to snapshot or a snapshotArn");
        }
        Objects.requireNonNull(bucket, "bucket");
        prefix = prefix == null ? "" : prefix;
        Objects.requireNonNull(iamRole, "iamRole");
        Objects.requireNonNull(kmsKey, "kmsKey");
    }

    /** whether Tidemark takes the snapshot itself (and so brackets it with two binlog positions) */
    public boolean takesSnapshot() {
        return snapshotArn == null;
    }

    /** the export destination as written in the spec: {@code s3://bucket/prefix} */
    public String s3() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }
}
