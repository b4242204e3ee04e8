package io.tidemark.storage.s3;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each failure S3 or the SDK reports means for the user: the code (so whether Tidemark retries) and the words.
 * The answers are built as S3 sends them (code, status, message, request id); the classifier sees nothing else.
 */
class S3ErrorsTest {
    private static final URI OBJECT = URI.create("s3://dumps/m1/shop.orders.000000001.sql");
    private static final S3Connection AWS = connection(null, false);
    private static final S3Connection MINIO_VIRTUAL_HOSTED = connection(URI.create("http://minio.internal:9000"),
            false);
    private static final S3Connection MINIO = connection(URI.create("http://minio.internal:9000"), true);

    record Case(String name, S3Connection connection, SdkException thrown, ErrorCode code, List<String> words) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("missing bucket", AWS, answer(404, "NoSuchBucket", "The specified bucket does not exist"),
                        ErrorCode.STORAGE_BUCKET_NOT_FOUND,
                        List.of("bucket dumps does not exist in region ap-northeast-1 (AWS S3)")),
                new Case("access denied", AWS, answer(403, "AccessDenied", "Access Denied"),
                        ErrorCode.STORAGE_ACCESS_DENIED, List.of("access to " + OBJECT + " (GetObject) was denied:"
                        + " Access Denied [AccessDenied, HTTP 403, request id REQ-1]")),
                new Case("a HEAD's bare 403", AWS, answer(403, null, null), ErrorCode.STORAGE_ACCESS_DENIED,
                        List.of("HTTP 403 without details (HEAD answers carry no error body)")),
                new Case("KMS refusing", AWS, answer(400, "KMS.DisabledException",
                        "arn:aws:kms:ap-northeast-1:111122223333:key/abcd-1234 is disabled."),
                        ErrorCode.STORAGE_ACCESS_DENIED,
                        List.of("arn:aws:kms:ap-northeast-1:111122223333:key/abcd-1234")),
                new Case("unknown access key", AWS, answer(403, "InvalidAccessKeyId",
                        "The AWS Access Key Id you provided does not exist in our records."),
                        ErrorCode.STORAGE_CREDENTIALS_INVALID,
                        List.of("no valid credentials for " + OBJECT + " (the access-key and secret-access-key in the"
                                + " location)", "does not exist in our records")),
                new Case("wrong secret", AWS, answer(403, "SignatureDoesNotMatch", "The request signature we calculated"
                        + " does not match the signature you provided."), ErrorCode.STORAGE_CREDENTIALS_INVALID,
                        List.of("SignatureDoesNotMatch")),
                new Case("expired session", AWS, answer(400, "ExpiredToken", "The provided token has expired."),
                        ErrorCode.STORAGE_CREDENTIALS_INVALID, List.of("ExpiredToken")),
                new Case("throttled", AWS, answer(503, "SlowDown", "Please reduce your request rate."),
                        ErrorCode.STORAGE_IO, List.of("Please reduce your request rate. [SlowDown, HTTP 503")),
                new Case("internal error", AWS, answer(500, "InternalError", "We encountered an internal error."),
                        ErrorCode.STORAGE_IO, List.of("InternalError")),
                new Case("too many requests", MINIO, answer(429, null, "Too Many Requests"), ErrorCode.STORAGE_IO,
                        List.of("from endpoint http://minio.internal:9000")),
                new Case("request timeout 400", AWS, answer(400, "RequestTimeout", "Your socket connection to the"
                        + " server was not read from or written to within the timeout period."),
                        ErrorCode.STORAGE_IO, List.of("RequestTimeout")),
                new Case("archived object", AWS, answer(403, "InvalidObjectState",
                        "The operation is not valid for the object's storage class"),
                        ErrorCode.STORAGE_REQUEST_REJECTED, List.of("restore archived objects")),
                new Case("unsupported storage class", MINIO, answer(400, "InvalidStorageClass",
                        "The storage class you specified is not valid"), ErrorCode.STORAGE_REQUEST_REJECTED,
                        List.of("InvalidStorageClass")),
                new Case("wrong region", AWS, answer(301, "PermanentRedirect", "The bucket you are attempting to"
                        + " access must be addressed using the specified endpoint."),
                        ErrorCode.STORAGE_LOCATION_INVALID, List.of("bucket dumps is not in region ap-northeast-1",
                        "set region= to the bucket's region")),
                new Case("unresolvable AWS host", AWS, client("Unable to execute HTTP request: dumps.s3.ap-northeast-1"
                        + ".amazonaws.com", new UnknownHostException("dumps.s3.ap-northeast-1.amazonaws.com: Name or"
                        + " service not known")), ErrorCode.STORAGE_HOST_UNKNOWN,
                        List.of("host dumps.s3.ap-northeast-1.amazonaws.com does not resolve",
                                "check region= and the bucket name")),
                new Case("virtual-hosted style on a compatible store", MINIO_VIRTUAL_HOSTED, client("Unable to execute"
                        + " HTTP request", new UnknownHostException("dumps.minio.internal")),
                        ErrorCode.STORAGE_HOST_UNKNOWN, List.of("host dumps.minio.internal does not resolve",
                        "set force-path-style=true")),
                new Case("no credentials anywhere", AWS, client("Unable to load credentials from any of the providers"
                        + " in the chain AwsCredentialsProviderChain(...)", null),
                        ErrorCode.STORAGE_CREDENTIALS_INVALID, List.of("Unable to load credentials")),
                new Case("refused connection", MINIO, client("Unable to execute HTTP request: Connect to"
                        + " minio.internal:9000 failed", new ConnectException("Connection refused")),
                        ErrorCode.STORAGE_IO, List.of("cannot reach endpoint http://minio.internal:9000:"
                        + " ConnectException: Connection refused")),
                new Case("silent server", MINIO, client("Unable to execute HTTP request: Read timed out",
                        new SocketTimeoutException("Read timed out")), ErrorCode.STORAGE_IO,
                        List.of("SocketTimeoutException: Read timed out")),
                new Case("https to a plain HTTP server", MINIO, client("Unable to execute HTTP request",
                        new SSLHandshakeException("Unsupported or unrecognized SSL message")),
                        ErrorCode.STORAGE_LOCATION_INVALID, List.of("the TLS handshake with endpoint"
                        + " http://minio.internal:9000 failed")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachFailureGetsItsCodeAndNamesWhatIsInvolved(Case c) {
        TidemarkException e = S3Errors.classify(c.connection(), "dumps", OBJECT, "GetObject", c.thrown(), null);

        assertThat(e.error()).isEqualTo(c.code());
        assertThat(e.retriable()).isEqualTo(c.code().retriable());
        assertThat(e.getCause()).isSameAs(c.thrown());
        for (String w : c.words()) {
            assertThat(e.getMessage()).contains(w);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void onlyOutagesAreRetried(Case c) {
        TidemarkException e = S3Errors.classify(c.connection(), "dumps", OBJECT, "GetObject", c.thrown(), null);

        boolean outage = c.thrown() instanceof S3Exception s3 ? s3.statusCode() >= 500 || s3.statusCode() == 429
                || "RequestTimeout".equals(S3Errors.code(s3))
                : !(c.code() == ErrorCode.STORAGE_HOST_UNKNOWN || c.code() == ErrorCode.STORAGE_CREDENTIALS_INVALID
                || c.code() == ErrorCode.STORAGE_LOCATION_INVALID);
        assertThat(e.retriable()).as(e.getMessage()).isEqualTo(outage);
    }

    private static S3Exception answer(int status, String code, String message) {
        AwsErrorDetails.Builder details = AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                .serviceName("S3");
        return (S3Exception) S3Exception.builder().statusCode(status).requestId("REQ-1")
                .awsErrorDetails(details.build()).message(message).build();
    }

    private static SdkClientException client(String message, Throwable cause) {
        return SdkClientException.builder().message(message).cause(cause).build();
    }

    private static S3Connection connection(URI endpoint, boolean pathStyle) {
        String region = endpoint == null ? "ap-northeast-1" : "us-east-1";
        return new S3Connection(null, new S3Clients.Settings(endpoint, region, pathStyle, false,
                new S3Credentials.Keys("AK", "SK", null), endpoint == null, Duration.ofSeconds(10),
                Duration.ofSeconds(30)));
    }
}
