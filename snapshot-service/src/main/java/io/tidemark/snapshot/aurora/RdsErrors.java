package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one place that decides what an AWS RDS failure means for the user: which catalog code (so whether retrying can
 * help and what to do), with AWS's own words, code and request id. The SDK has already retried throttling, 5xx answers
 * and broken connections by its standard mode when a failure gets here, so a throttled or unreachable answer here is
 * one that outlasted those retries.
 */
final class RdsErrors {
    /** AWS's error codes, as the RDS Query API sends them, that a user's setup or spec causes */
    private static final Map<String, ErrorCode> BY_CODE = Map.ofEntries(
            Map.entry("Throttling", ErrorCode.RDS_THROTTLED),
            Map.entry("ThrottlingException", ErrorCode.RDS_THROTTLED),
            Map.entry("RequestLimitExceeded", ErrorCode.RDS_THROTTLED),
            Map.entry("TooManyRequestsException", ErrorCode.RDS_THROTTLED),
            Map.entry("AccessDenied", ErrorCode.RDS_ACCESS_DENIED),
            Map.entry("AccessDeniedException", ErrorCode.RDS_ACCESS_DENIED),
            Map.entry("UnauthorizedOperation", ErrorCode.RDS_ACCESS_DENIED),
            Map.entry("NotAuthorized", ErrorCode.RDS_ACCESS_DENIED),
            Map.entry("InvalidClientTokenId", ErrorCode.RDS_CREDENTIALS_INVALID),
            Map.entry("SignatureDoesNotMatch", ErrorCode.RDS_CREDENTIALS_INVALID),
            Map.entry("IncompleteSignature", ErrorCode.RDS_CREDENTIALS_INVALID),
            Map.entry("ExpiredToken", ErrorCode.RDS_CREDENTIALS_INVALID),
            Map.entry("ExpiredTokenException", ErrorCode.RDS_CREDENTIALS_INVALID),
            Map.entry("MissingAuthenticationToken", ErrorCode.RDS_CREDENTIALS_INVALID),
            Map.entry("SnapshotQuotaExceeded", ErrorCode.RDS_SNAPSHOT_QUOTA),
            Map.entry("SharedSnapshotQuotaExceeded", ErrorCode.RDS_SNAPSHOT_QUOTA),
            Map.entry("DBClusterNotFoundFault", ErrorCode.RDS_CLUSTER_NOT_FOUND),
            Map.entry("DBClusterSnapshotNotFoundFault", ErrorCode.RDS_SNAPSHOT_NOT_FOUND),
            Map.entry("DBSnapshotNotFound", ErrorCode.RDS_SNAPSHOT_NOT_FOUND),
            Map.entry("InvalidDBClusterStateFault", ErrorCode.RDS_RESOURCE_BUSY),
            Map.entry("InvalidDBClusterSnapshotStateFault", ErrorCode.RDS_RESOURCE_BUSY),
            Map.entry("InvalidExportSourceState", ErrorCode.AURORA_EXPORT_SOURCE_UNSUPPORTED),
            Map.entry("IamRoleNotFound", ErrorCode.AURORA_EXPORT_ROLE_INVALID),
            Map.entry("IamRoleMissingPermissions", ErrorCode.AURORA_EXPORT_ROLE_INVALID),
            Map.entry("KMSKeyNotAccessibleFault", ErrorCode.AURORA_EXPORT_KMS_KEY),
            Map.entry("InvalidS3BucketFault", ErrorCode.AURORA_EXPORT_BUCKET_INVALID),
            Map.entry("InvalidExportOnly", ErrorCode.AURORA_EXPORT_ONLY_INVALID),
            // the restored-instance flow
            Map.entry("InvalidDBInstanceState", ErrorCode.RDS_RESOURCE_BUSY),
            Map.entry("InvalidDBSnapshotState", ErrorCode.RDS_RESOURCE_BUSY),
            // a name Tidemark derives exists though a describe just found none (being created or deleted): a retry
            // describes again and re-attaches
            Map.entry("DBClusterAlreadyExistsFault", ErrorCode.RDS_RESOURCE_BUSY),
            Map.entry("DBInstanceAlreadyExists", ErrorCode.RDS_RESOURCE_BUSY),
            Map.entry("OptionGroupNotFoundFault", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("DomainNotFoundFault", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("DBSubnetGroupDoesNotCoverEnoughAZs", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("InsufficientAvailableIPsInSubnetFault", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("NetworkTypeNotSupported", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("StorageTypeNotSupported", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("AuthorizationNotFound", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("ProvisionedIopsNotAvailableInAZFault", ErrorCode.AURORA_RESTORE_NO_CAPACITY),
            Map.entry("DBSubnetGroupNotFoundFault", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("DBClusterParameterGroupNotFound", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("DBParameterGroupNotFound", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("InvalidSubnet", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("InvalidVPCNetworkStateFault", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("DBSecurityGroupNotFound", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("InvalidRestoreFault", ErrorCode.AURORA_RESTORE_SETTING_INVALID),
            Map.entry("InsufficientDBClusterCapacityFault", ErrorCode.AURORA_RESTORE_NO_CAPACITY),
            Map.entry("InsufficientDBInstanceCapacity", ErrorCode.AURORA_RESTORE_NO_CAPACITY),
            Map.entry("InsufficientStorageClusterCapacity", ErrorCode.AURORA_RESTORE_NO_CAPACITY),
            Map.entry("DBClusterQuotaExceededFault", ErrorCode.AURORA_RESTORE_NO_CAPACITY),
            Map.entry("InstanceQuotaExceeded", ErrorCode.AURORA_RESTORE_NO_CAPACITY),
            Map.entry("StorageQuotaExceeded", ErrorCode.AURORA_RESTORE_NO_CAPACITY));
    /**
     * The restored-instance flow's own calls: the same AWS code means something else there (access to other actions,
     * a restored cluster that is gone rather than a misnamed production cluster, the snapshot's key rather than the
     * export's, a quota on clusters and instances rather than on snapshots)
     */
    private static final Set<String> RESTORE_ACTIONS = Set.of("RestoreDBClusterFromSnapshot", "CreateDBInstance",
            "DescribeDBClusters", "DescribeDBInstances", "DescribeEvents", "DeleteDBInstance", "DeleteDBCluster");
    private static final Map<String, ErrorCode> RESTORE_BY_CODE = Map.ofEntries(
            Map.entry("AccessDenied", ErrorCode.AURORA_RESTORE_ACCESS_DENIED),
            Map.entry("AccessDeniedException", ErrorCode.AURORA_RESTORE_ACCESS_DENIED),
            Map.entry("UnauthorizedOperation", ErrorCode.AURORA_RESTORE_ACCESS_DENIED),
            Map.entry("NotAuthorized", ErrorCode.AURORA_RESTORE_ACCESS_DENIED),
            Map.entry("DBClusterNotFoundFault", ErrorCode.AURORA_RESTORED_GONE),
            Map.entry("DBInstanceNotFound", ErrorCode.AURORA_RESTORED_GONE),
            Map.entry("KMSKeyNotAccessibleFault", ErrorCode.AURORA_RESTORE_KMS_KEY));
    /** codes whose request failed for AWS's own reasons: another attempt later can succeed */
    private static final Set<String> TRANSIENT = Set.of("InternalFailure", "InternalError", "ServiceUnavailable",
            "RequestTimeout", "RequestExpired");

    private RdsErrors() {
    }

    /**
     * @param action  the RDS action ({@code StartExportTask}): a quota refusal of an export is AWS's limit of
     *                concurrent exports, which is waited out, while a snapshot quota is not
     * @param subject what the request was about, e.g. {@code "export task tm-…-a1 of cluster-snapshot:…"}
     * @param e       what the SDK threw
     */
    static TidemarkException classify(String action, String subject, SdkException e) {
        String what = action + " (" + subject + ")";
        if (e instanceof AwsServiceException se) {
            String code = code(se);
            String words = words(se);
            if ("StartExportTask".equals(action) && isQuota(code)) {
                return new TidemarkException(ErrorCode.AURORA_EXPORTS_AT_LIMIT, e, what, words);
            }
            boolean restore = RESTORE_ACTIONS.contains(action);
            ErrorCode mapped = restore && RESTORE_BY_CODE.containsKey(code) ? RESTORE_BY_CODE.get(code)
                    : BY_CODE.get(code);
            if (mapped != null) {
                return new TidemarkException(mapped, e, what, words);
            }
            if (restore && isQuota(code)) {
                return new TidemarkException(ErrorCode.AURORA_RESTORE_NO_CAPACITY, e, what, words);
            }
            if (isQuota(code)) {
                return new TidemarkException(ErrorCode.RDS_SNAPSHOT_QUOTA, e, what, words);
            }
            int status = se.statusCode();
            if (status == 429 || status >= 500 || TRANSIENT.contains(code)) {
                return new TidemarkException(ErrorCode.RDS_UNREACHABLE, e, what, words);
            }
            if (status == 403) {
                return new TidemarkException(restore ? ErrorCode.AURORA_RESTORE_ACCESS_DENIED
                        : ErrorCode.RDS_ACCESS_DENIED, e, what, words);
            }
            return new TidemarkException(ErrorCode.RDS_REQUEST_REJECTED, e, what, words);
        }
        String message = String.valueOf(e.getMessage());
        if (message.toLowerCase(Locale.ROOT).contains("unable to load credentials")) {
            return new TidemarkException(ErrorCode.RDS_CREDENTIALS_INVALID, e, what, message);
        }
        return new TidemarkException(ErrorCode.RDS_UNREACHABLE, e, what, rootMessage(e));
    }

    private static boolean isQuota(String code) {
        return code.contains("QuotaExceeded") || code.contains("LimitExceeded") && !code.startsWith("Request");
    }

    /** AWS's error code ({@code DBClusterNotFoundFault}), "" when the answer had none */
    private static String code(AwsServiceException e) {
        AwsErrorDetails d = e.awsErrorDetails();
        return d == null || d.errorCode() == null ? "" : d.errorCode();
    }

    /** AWS's message, its code, the HTTP status and the request id: what AWS support asks for */
    private static String words(AwsServiceException e) {
        AwsErrorDetails d = e.awsErrorDetails();
        String message = d == null ? null : d.errorMessage();
        String code = code(e);
        StringBuilder b = new StringBuilder(message != null ? message : "HTTP " + e.statusCode() + " without details");
        b.append(" [");
        if (!code.isEmpty()) {
            b.append(code).append(", ");
        }
        b.append("HTTP ").append(e.statusCode());
        if (e.requestId() != null) {
            b.append(", request id ").append(e.requestId());
        }
        return b.append(']').toString();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getClass().getSimpleName() + ": "
                + t.getMessage() + ")";
    }
}
