package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.model.RdsException;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

/** Every RDS error a user can cause lands on its catalog code, with AWS's words and the fix in the message. */
class RdsErrorsTest {
    private static RdsException rds(int status, String code, String message) {
        return (RdsException) RdsException.builder().statusCode(status).requestId("req-42")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
    }

    @ParameterizedTest(name = "{0} {1} (HTTP {2}) -> {3}")
    @CsvSource({
            // action, AWS code, HTTP status, catalog code, retriable
            "DescribeExportTasks,       Throttling,                         400, RDS_THROTTLED,                    true",
            "CreateDBClusterSnapshot,   RequestLimitExceeded,               400, RDS_THROTTLED,                    true",
            "StartExportTask,           AccessDenied,                       403, RDS_ACCESS_DENIED,                false",
            "CancelExportTask,          SomethingNew,                       403, RDS_ACCESS_DENIED,                false",
            "CreateDBClusterSnapshot,   InvalidClientTokenId,               403, RDS_CREDENTIALS_INVALID,          false",
            "DescribeExportTasks,       ExpiredToken,                       400, RDS_CREDENTIALS_INVALID,          false",
            "CreateDBClusterSnapshot,   SnapshotQuotaExceeded,              400, RDS_SNAPSHOT_QUOTA,               false",
            "StartExportTask,           SnapshotQuotaExceeded,              400, AURORA_EXPORTS_AT_LIMIT,          true",
            "StartExportTask,           ExportTaskLimitExceeded,            400, AURORA_EXPORTS_AT_LIMIT,          true",
            "CreateDBClusterSnapshot,   DBClusterNotFoundFault,             404, RDS_CLUSTER_NOT_FOUND,            false",
            "StartExportTask,           DBClusterSnapshotNotFoundFault,     404, RDS_SNAPSHOT_NOT_FOUND,           false",
            "CreateDBClusterSnapshot,   InvalidDBClusterStateFault,         400, RDS_RESOURCE_BUSY,                true",
            "DeleteDBClusterSnapshot,   InvalidDBClusterSnapshotStateFault, 400, RDS_RESOURCE_BUSY,                true",
            "StartExportTask,           InvalidExportSourceState,           400, AURORA_EXPORT_SOURCE_UNSUPPORTED, false",
            "StartExportTask,           IamRoleNotFound,                    404, AURORA_EXPORT_ROLE_INVALID,       false",
            "StartExportTask,           IamRoleMissingPermissions,          400, AURORA_EXPORT_ROLE_INVALID,       false",
            "StartExportTask,           KMSKeyNotAccessibleFault,           400, AURORA_EXPORT_KMS_KEY,            false",
            "StartExportTask,           InvalidS3BucketFault,               400, AURORA_EXPORT_BUCKET_INVALID,     false",
            "StartExportTask,           InvalidExportOnly,                  400, AURORA_EXPORT_ONLY_INVALID,       false",
            "StartExportTask,           InvalidParameterValue,              400, RDS_REQUEST_REJECTED,             false",
            "CancelExportTask,          InvalidExportTaskStateFault,        400, RDS_REQUEST_REJECTED,             false",
            "DescribeExportTasks,       InternalFailure,                    500, RDS_UNREACHABLE,                  true",
            "DescribeExportTasks,       ServiceUnavailable,                 503, RDS_UNREACHABLE,                  true",
            "RestoreDBClusterFromSnapshot, DBSubnetGroupNotFoundFault,   404, AURORA_RESTORE_SETTING_INVALID,   false",
            "RestoreDBClusterFromSnapshot, DBClusterParameterGroupNotFound, 404, AURORA_RESTORE_SETTING_INVALID, false",
            "RestoreDBClusterFromSnapshot, InvalidVPCNetworkStateFault,  400, AURORA_RESTORE_SETTING_INVALID,   false",
            "RestoreDBClusterFromSnapshot, InsufficientDBClusterCapacityFault, 400, AURORA_RESTORE_NO_CAPACITY, true",
            "CreateDBInstance,          InsufficientDBInstanceCapacity,     400, AURORA_RESTORE_NO_CAPACITY,       true",
            "CreateDBInstance,          InstanceQuotaExceeded,              400, AURORA_RESTORE_NO_CAPACITY,       true",
            "DeleteDBInstance,          InvalidDBInstanceState,             400, RDS_RESOURCE_BUSY,                true",
            // the restored-instance flow, family by family: throttling
            "DescribeEvents,            Throttling,                         400, RDS_THROTTLED,                    true",
            "CreateDBInstance,          ThrottlingException,                400, RDS_THROTTLED,                    true",
            "RestoreDBClusterFromSnapshot, RequestLimitExceeded,            400, RDS_THROTTLED,                    true",
            // access denied: the restore's own actions named in the fix
            "RestoreDBClusterFromSnapshot, AccessDenied,                    403, AURORA_RESTORE_ACCESS_DENIED,     false",
            "DescribeEvents,            AccessDeniedException,              400, AURORA_RESTORE_ACCESS_DENIED,     false",
            "DeleteDBCluster,           NotAuthorized,                      403, AURORA_RESTORE_ACCESS_DENIED,     false",
            "DescribeDBInstances,       SomethingNew,                       403, AURORA_RESTORE_ACCESS_DENIED,     false",
            "CreateDBInstance,          ExpiredToken,                       400, RDS_CREDENTIALS_INVALID,          false",
            "RestoreDBClusterFromSnapshot, KMSKeyNotAccessibleFault,        400, AURORA_RESTORE_KMS_KEY,           false",
            // quota: clusters, instances and storage, never the snapshot quota
            "RestoreDBClusterFromSnapshot, DBClusterQuotaExceededFault,     400, AURORA_RESTORE_NO_CAPACITY,       true",
            "CreateDBInstance,          StorageQuotaExceeded,               400, AURORA_RESTORE_NO_CAPACITY,       true",
            "DeleteDBInstance,          DBInstanceAutomatedBackupQuotaExceeded, 400, AURORA_RESTORE_NO_CAPACITY,   true",
            "CreateDBInstance,          ProvisionedIopsNotAvailableInAZFault, 400, AURORA_RESTORE_NO_CAPACITY,     true",
            // not found: the snapshot named in the spec, or the restored cluster deleted under the migration
            "RestoreDBClusterFromSnapshot, DBClusterSnapshotNotFoundFault,  404, RDS_SNAPSHOT_NOT_FOUND,           false",
            "CreateDBInstance,          DBClusterNotFoundFault,             404, AURORA_RESTORED_GONE,             true",
            "DeleteDBInstance,          DBInstanceNotFound,                 404, AURORA_RESTORED_GONE,             true",
            "CreateDBInstance,          DBParameterGroupNotFound,           404, AURORA_RESTORE_SETTING_INVALID,   false",
            "RestoreDBClusterFromSnapshot, OptionGroupNotFoundFault,        404, AURORA_RESTORE_SETTING_INVALID,   false",
            "CreateDBInstance,          DBSubnetGroupDoesNotCoverEnoughAZs, 400, AURORA_RESTORE_SETTING_INVALID,   false",
            "RestoreDBClusterFromSnapshot, InsufficientAvailableIPsInSubnetFault, 400, AURORA_RESTORE_SETTING_INVALID, false",
            // invalid state
            "RestoreDBClusterFromSnapshot, InvalidDBClusterSnapshotStateFault, 400, RDS_RESOURCE_BUSY,             true",
            "RestoreDBClusterFromSnapshot, InvalidDBSnapshotState,          400, RDS_RESOURCE_BUSY,                true",
            "DeleteDBCluster,           InvalidDBClusterStateFault,         400, RDS_RESOURCE_BUSY,                true",
            "CreateDBInstance,          DBInstanceAlreadyExists,            400, RDS_RESOURCE_BUSY,                true",
            "RestoreDBClusterFromSnapshot, DBClusterAlreadyExistsFault,     400, RDS_RESOURCE_BUSY,                true",
            "DescribeEvents,            InternalFailure,                    500, RDS_UNREACHABLE,                  true",
    })
    void eachAwsCodeMapsToItsCatalogCode(String action, String code, int status, ErrorCode expected,
                                         boolean retriable) {
        TidemarkException e = RdsErrors.classify(action, "cluster orders-prod", rds(status, code, "AWS says why"));
        assertThat(e.error()).isEqualTo(expected);
        assertThat(e.retriable()).isEqualTo(retriable);
        assertThat(e.getMessage()).startsWith(expected.code())
                .contains(action + " (cluster orders-prod)")
                .contains("AWS says why [" + code + ", HTTP " + status + ", request id req-42]")
                .contains("remedy: " + expected.remedy());
    }

    @Test
    void noAnswerAtAllIsUnreachableAndRetriedWhileMissingCredentialsAreNot() {
        TidemarkException refused = RdsErrors.classify("DescribeExportTasks", "export task tm-1",
                SdkClientException.builder().message("Unable to execute HTTP request: Connection refused")
                        .cause(new ConnectException("Connection refused")).build());
        assertThat(refused.error()).isEqualTo(ErrorCode.RDS_UNREACHABLE);
        assertThat(refused.retriable()).isTrue();
        assertThat(refused.getMessage()).contains("ConnectException: Connection refused");

        TidemarkException noCredentials = RdsErrors.classify("CreateDBClusterSnapshot", "cluster orders-prod",
                SdkClientException.create("Unable to load credentials from any of the providers in the chain"));
        assertThat(noCredentials.error()).isEqualTo(ErrorCode.RDS_CREDENTIALS_INVALID);
        assertThat(noCredentials.retriable()).isFalse();
    }

    @Test
    void theRemediesNameTheFieldsAndCallsToFix() {
        assertThat(ErrorCode.RDS_CLUSTER_NOT_FOUND.remedy()).contains("snapshot.cluster", "snapshot.region");
        assertThat(ErrorCode.AURORA_EXPORT_ROLE_INVALID.remedy()).contains("snapshot.iamRole",
                "export.rds.amazonaws.com");
        assertThat(ErrorCode.AURORA_EXPORT_KMS_KEY.remedy()).contains("snapshot.kmsKey");
        assertThat(ErrorCode.AURORA_EXPORTS_AT_LIMIT.remedy()).contains("the export waits in a queue: Tidemark tries again");
        assertThat(ErrorCode.RDS_ACCESS_DENIED.remedy()).contains("rds:StartExportTask", "iam:PassRole");
        assertThat(ErrorCode.AURORA_RESTORE_ACCESS_DENIED.remedy()).contains("rds:RestoreDBClusterFromSnapshot",
                "rds:CreateDBInstance", "rds:DescribeEvents", "rds:DeleteDBCluster");
        assertThat(ErrorCode.AURORA_RESTORE_KMS_KEY.remedy()).contains("kms:CreateGrant", "snapshot.snapshotArn");
        assertThat(ErrorCode.AURORA_RESTORED_GONE.remedy()).contains("tidemark-<migration>-e<attempt>-r");
    }
}
