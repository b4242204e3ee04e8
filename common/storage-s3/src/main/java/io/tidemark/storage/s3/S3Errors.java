package io.tidemark.storage.s3;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * The one place that decides what an S3 failure means for the user: which catalog code, so whether retrying can help,
 * and the words that name the bucket, the key, the region or the credentials involved. The SDK has already retried
 * throttling, 5xx answers and broken connections by its standard mode when a failure gets here.
 */
final class S3Errors {
    /** S3's codes for credentials it does not accept */
    private static final Set<String> BAD_CREDENTIALS = Set.of("InvalidAccessKeyId", "SignatureDoesNotMatch",
            "ExpiredToken", "InvalidToken", "TokenRefreshRequired", "InvalidSecurity", "MissingSecurityHeader");
    private static final Set<String> DENIED = Set.of("AccessDenied", "AllAccessDisabled", "AccountProblem");
    /** codes worth another attempt later, whatever their HTTP status */
    private static final Set<String> TRANSIENT = Set.of("SlowDown", "Throttling", "ThrottlingException",
            "RequestTimeout", "InternalError", "ServiceUnavailable", "OperationAborted", "RequestTimeoutException");
    private static final Pattern KMS_KEY = Pattern.compile(
            "arn:aws[a-z-]*:kms:[a-z0-9-]+:\\d{12}:(?:key|alias)/[A-Za-z0-9/_-]+");

    private S3Errors() {
    }

    /**
     * @param connection where the request went
     * @param bucket     the bucket asked
     * @param target     the object or prefix ({@code s3://bucket/key})
     * @param request    the S3 request ({@code GetObject})
     * @param e          what the SDK threw
     * @param extra      more words for an access denial (which KMS key), or null
     */
    static TidemarkException classify(S3Connection connection, String bucket, URI target, String request,
                                      SdkException e, String extra) {
        String what = target + " (" + request + ")";
        if (e instanceof AwsServiceException se) {
            int status = se.statusCode();
            String code = code(se);
            String words = words(se) + (extra == null ? "" : "; " + extra);
            if ("NoSuchBucket".equals(code)) {
                return new TidemarkException(ErrorCode.STORAGE_BUCKET_NOT_FOUND, e, bucket, connection.region(),
                        connection.where());
            }
            if (BAD_CREDENTIALS.contains(code)) {
                return new TidemarkException(ErrorCode.STORAGE_CREDENTIALS_INVALID, e, target,
                        connection.credentials().describe(), words);
            }
            if ("KMS.NotFoundException".equals(code)) {
                return new TidemarkException(ErrorCode.STORAGE_LOCATION_INVALID, e, target, "the KMS key does not"
                        + " exist in region " + connection.region() + " (" + words + "): correct sse-kms-key-id");
            }
            if ("InvalidObjectState".equals(code)) {
                // 403, but no permission helps: the object is archived (Glacier, Deep Archive)
                return new TidemarkException(ErrorCode.STORAGE_REQUEST_REJECTED, e, what, words
                        + "; restore archived objects (S3 RestoreObject) or copy them to a readable storage class");
            }
            if (status == 403 || DENIED.contains(code) || code.startsWith("KMS.")) {
                return new TidemarkException(ErrorCode.STORAGE_ACCESS_DENIED, e, what, words);
            }
            if (status == 301 || "PermanentRedirect".equals(code) || "AuthorizationHeaderMalformed".equals(code)) {
                return new TidemarkException(ErrorCode.STORAGE_LOCATION_INVALID, e, target,
                        "bucket " + bucket + " is not in region " + connection.region() + " (" + words + "): set"
                                + " region= to the bucket's region");
            }
            if (status == 429 || status >= 500 || TRANSIENT.contains(code)) {
                return new TidemarkException(ErrorCode.STORAGE_IO, e, what, words + " from " + connection.where());
            }
            if (status >= 400) {
                return new TidemarkException(ErrorCode.STORAGE_REQUEST_REJECTED, e, what, words);
            }
            return new TidemarkException(ErrorCode.STORAGE_IO, e, what, words + " from " + connection.where());
        }
        UnknownHostException unknownHost = cause(e, UnknownHostException.class);
        if (unknownHost != null) {
            return new TidemarkException(ErrorCode.STORAGE_HOST_UNKNOWN, e, what, host(unknownHost),
                    hostHint(connection, bucket));
        }
        String message = String.valueOf(e.getMessage());
        if (isMissingCredentials(message)) {
            return new TidemarkException(ErrorCode.STORAGE_CREDENTIALS_INVALID, e, target,
                    connection.credentials().describe(), message);
        }
        if (cause(e, SSLException.class) != null) {
            return new TidemarkException(ErrorCode.STORAGE_LOCATION_INVALID, e, target, "the TLS handshake with "
                    + connection.where() + " failed (" + rootMessage(e) + "): an endpoint given as https:// must"
                    + " speak TLS with a certificate this JVM trusts, one given as http:// must not");
        }
        return new TidemarkException(ErrorCode.STORAGE_IO, e, what,
                "cannot reach " + connection.where() + ": " + rootMessage(e));
    }

    /** whether the exception says the object or bucket is not there (404), which an existence check answers with no */
    static boolean isNotFound(SdkException e) {
        return e instanceof AwsServiceException se && se.statusCode() == 404;
    }

    static boolean isNoSuchBucket(SdkException e) {
        return e instanceof AwsServiceException se && "NoSuchBucket".equals(code(se));
    }

    static boolean isDenied(SdkException e) {
        return e instanceof AwsServiceException se
                && (se.statusCode() == 403 || DENIED.contains(code(se)) || code(se).startsWith("KMS."));
    }

    /** a KMS key ARN the store's words name, or null */
    static String kmsKeyIn(SdkException e) {
        Matcher m = KMS_KEY.matcher(String.valueOf(e.getMessage()));
        return m.find() ? m.group() : null;
    }

    /** S3's error code ({@code NoSuchBucket}), "" when the answer had none (HEAD answers have no body) */
    static String code(AwsServiceException e) {
        AwsErrorDetails d = e.awsErrorDetails();
        return d == null || d.errorCode() == null ? "" : d.errorCode();
    }

    /** the store's message, its code, the HTTP status and the request id: what AWS support asks for */
    static String words(AwsServiceException e) {
        AwsErrorDetails d = e.awsErrorDetails();
        String message = d == null || d.errorMessage() == null ? null : d.errorMessage();
        String code = code(e);
        StringBuilder b = new StringBuilder();
        b.append(message != null ? message : e.statusCode() > 0 ? "HTTP " + e.statusCode() + " without details"
                + (code.isEmpty() ? " (HEAD answers carry no error body)" : "") : String.valueOf(e.getMessage()));
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

    private static boolean isMissingCredentials(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return m.contains("unable to load credentials") || (m.contains("profile") && m.contains("credentials"))
                || m.contains("access key id cannot be blank") || m.contains("secret access key cannot be blank");
    }

    private static String hostHint(S3Connection connection, String bucket) {
        S3Clients.Settings s = connection.settings();
        if (s.endpoint() == null) {
            return "the AWS S3 host of region " + s.region() + (s.forcePathStyle() ? ""
                    : " with the bucket " + bucket + " in its name") + ": check region= and the bucket name, and"
                    + " that this host resolves public DNS names";
        }
        if (!s.forcePathStyle()) {
            return "virtual-hosted style put the bucket " + bucket + " into the host name of " + s.endpoint()
                    + ": set force-path-style=true, or correct endpoint=";
        }
        return "the host of endpoint " + s.endpoint() + ": correct endpoint=";
    }

    private static String host(UnknownHostException e) {
        String m = String.valueOf(e.getMessage());
        int colon = m.indexOf(':');
        return colon > 0 ? m.substring(0, colon) : m;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t == e ? String.valueOf(m) : t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
