package io.tidemark.storage.s3;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Ranges;
import io.tidemark.common.storage.Storage;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A prefix of an S3 bucket (or of an S3-compatible store's) as a {@link Storage}. Files are objects under the prefix;
 * directories are the common prefixes between '/'. Thread-safe; cheap to create, as the client behind it is shared.
 *
 * <ul>
 *   <li>{@link #create}: uploads on close — one PutObject up to 8 MiB, a multipart upload of 8 MiB parts above that,
 *   holding one part in memory; aborted when a part fails. S3 shows an object only once it is complete.</li>
 *   <li>{@link #open}: a streaming GetObject (a ranged one for {@link #open(String, long, long)}) that reconnects
 *   where it stopped when the connection breaks, pinned to the object's ETag so it never mixes two versions.</li>
 *   <li>{@link #list}, {@link #directories}, {@link #walk}: ListObjectsV2 over all pages, sorted.</li>
 * </ul>
 * Failures are {@link TidemarkException}s from the catalog naming bucket, key and region (see {@link S3Errors});
 * a missing object is a {@link NoSuchFileException} as on local disk.
 */
public final class S3Storage implements Storage {
    private static final int LIST_PAGE_SIZE = 1000;
    private static final Set<String> WRITES = Set.of("PutObject", "CreateMultipartUpload", "UploadPart",
            "CompleteMultipartUpload");

    private final S3Connection connection;
    private final S3Location location;
    private final int listPageSize;
    /** set once the bucket is known to exist; shared with the storages {@link #resolve}d from this one */
    private final AtomicBoolean bucketSeen;

    S3Storage(S3Connection connection, S3Location location, int listPageSize, AtomicBoolean bucketSeen) {
        this.connection = connection;
        this.location = location;
        this.listPageSize = listPageSize;
        this.bucketSeen = bucketSeen;
    }

    /**
     * a storage on {@code location}, with the JVM's shared client for its settings; keys the coordinator sealed into
     * the location are opened here, the one place they are used
     */
    public static S3Storage open(S3Location location) {
        S3Location opened = location.withKeysOpened();
        return new S3Storage(S3Clients.connection(opened.options()), opened, LIST_PAGE_SIZE, new AtomicBoolean());
    }

    /** a storage on {@code location} through a client of {@code settings}: tests choose what users cannot */
    static S3Storage open(S3Location location, S3Clients.Settings settings) {
        return new S3Storage(S3Clients.connection(settings), location, LIST_PAGE_SIZE, new AtomicBoolean());
    }

    public S3Location location() {
        return location;
    }

    public String bucket() {
        return location.bucket();
    }

    /** the key prefix, "" for the whole bucket */
    public String prefix() {
        return location.prefix();
    }

    /** the same storage listing {@code pageSize} keys per request: tests cross page boundaries with few keys */
    S3Storage withListPageSize(int pageSize) {
        return new S3Storage(connection, location, pageSize, bucketSeen);
    }

    S3Connection connection() {
        return connection;
    }

    @Override
    public URI root() {
        return location.root();
    }

    @Override
    public OutputStream create(String path) {
        String key = key(path);
        if (path.isEmpty() || key.endsWith("/")) {
            throw new IllegalArgumentException("'" + path + "' names no file under " + root());
        }
        return new S3OutputStream(this, key);
    }

    @Override
    public InputStream open(String path) throws IOException {
        return open(path, 0, Long.MAX_VALUE);
    }

    @Override
    public InputStream open(String path, long offset, long length) throws IOException {
        Ranges.check(offset, length);
        String key = key(path);
        if (length == 0) {
            size(path);
            return InputStream.nullInputStream();
        }
        long end = length > Long.MAX_VALUE - offset ? Long.MAX_VALUE : offset + length;
        return S3InputStream.open(this, key, offset, end);
    }

    @Override
    public boolean exists(String path) {
        String key = key(path);
        try {
            head(key);
            return true;
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                checkBucket();
                return false;
            }
            throw failure("HeadObject", key, e);
        }
    }

    @Override
    public long size(String path) throws IOException {
        String key = key(path);
        try {
            return head(key).contentLength();
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                throw noSuchFile(key);
            }
            throw failure("HeadObject", key, e);
        }
    }

    @Override
    public List<String> list(String directory) {
        return listing(directory, true).files();
    }

    @Override
    public List<String> directories(String directory) {
        return listing(directory, true).directories();
    }

    @Override
    public SortedMap<String, Long> walk(String directory) {
        return listing(directory, false).sizes();
    }

    @Override
    public void delete(String path) {
        String key = key(path);
        try {
            connection.client().deleteObject(r -> r.bucket(bucket()).key(key));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e) && !S3Errors.isNoSuchBucket(e)) {
                return; // already gone: deleting is idempotent
            }
            throw failure("DeleteObject", key, e);
        }
    }

    @Override
    public Storage resolve(String subdirectory) {
        String key = key(subdirectory);
        return new S3Storage(connection, new S3Location(bucket(), stripSlashes(key), location.options()),
                listPageSize, bucketSeen);
    }

    @Override
    public String toString() {
        return root().toString();
    }

    /** @param sizes each file's size, by path */
    private record Listing(List<String> files, List<String> directories, SortedMap<String, Long> sizes) {
    }

    /** one ListObjectsV2 over all pages: with a delimiter the level below {@code directory}, without it the tree */
    private Listing listing(String directory, boolean oneLevel) {
        String dir = stripSlashes(directory);
        String prefix = dir.isEmpty() ? directoryKey("") : directoryKey(dir);
        SortedMap<String, Long> files = new TreeMap<>();
        List<String> dirs = new ArrayList<>();
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket()).prefix(prefix)
                .maxKeys(listPageSize);
        if (oneLevel) {
            request.delimiter("/");
        }
        String token = null;
        try {
            do {
                ListObjectsV2Response page = connection.client()
                        .listObjectsV2(request.continuationToken(token).build());
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(prefix.length());
                    if (!name.isEmpty() && !name.endsWith("/") && !hidden(name)) {
                        files.put(dir.isEmpty() ? name : dir + "/" + name, object.size());
                    }
                }
                for (CommonPrefix common : page.commonPrefixes()) {
                    String name = common.prefix().substring(prefix.length());
                    name = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
                    if (!name.isEmpty() && !hidden(name)) {
                        dirs.add(dir.isEmpty() ? name : dir + "/" + name);
                    }
                }
                token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
            } while (token != null);
        } catch (SdkException e) {
            throw failure("ListObjectsV2", prefix, e);
        }
        bucketSeen.set(true);
        dirs.sort(null);
        return new Listing(List.copyOf(files.keySet()), List.copyOf(dirs),
                Collections.unmodifiableSortedMap(files));
    }

    /** a name is hidden when one of its segments starts with '.', as on local disk */
    private static boolean hidden(String relativeName) {
        for (String segment : relativeName.split("/")) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    HeadObjectResponse head(String key) {
        return connection.client().headObject(r -> r.bucket(bucket()).key(key));
    }

    /**
     * A GetObject of bytes [{@code start}, {@code end}) — {@code end} {@link Long#MAX_VALUE} for "to the end" — of the
     * version with {@code eTag} when given; null when {@code start} is past the end of the object.
     */
    ResponseInputStream<GetObjectResponse> get(String key, long start, long end, String eTag) throws IOException {
        GetObjectRequest.Builder request = GetObjectRequest.builder().bucket(bucket()).key(key);
        if (start > 0 || end != Long.MAX_VALUE) {
            request.range("bytes=" + start + "-" + (end == Long.MAX_VALUE ? "" : Long.toString(end - 1)));
        }
        if (eTag != null) {
            request.ifMatch(eTag);
        }
        try {
            return connection.client().getObject(request.build());
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return null;
            }
            if (e.statusCode() == 412 && eTag != null) {
                throw new TidemarkException(ErrorCode.STORAGE_IO, e, location.uriOf(key) + " (GetObject)",
                        "the object was replaced while it was read (it had ETag " + eTag + "): read it again from"
                                + " the start");
            }
            if (S3Errors.isNotFound(e) && !S3Errors.isNoSuchBucket(e)) {
                throw noSuchFile(key);
            }
            throw failure("GetObject", key, e);
        } catch (SdkException e) {
            throw failure("GetObject", key, e);
        }
    }

    /** the exception for an SDK failure of {@code request} on {@code key}: the catalog's, with what a denial needs */
    TidemarkException failure(String request, String key, SdkException e) {
        String extra = S3Errors.isDenied(e) ? denial(request, key, e) : null;
        return S3Errors.classify(connection, bucket(), location.uriOf(key), request, e, extra);
    }

    /**
     * What an access denial needs the user to grant. A read denied on an SSE-KMS object is most often the KMS key's
     * policy, and S3's answer does not always name the key: HeadObject, which needs no KMS permission, tells it.
     */
    String denial(String request, String key, SdkException e) {
        String kmsKey = S3Errors.kmsKeyIn(e);
        if (WRITES.contains(request) && location.options().sse() == Sse.KMS) {
            String named = kmsKey != null ? kmsKey : location.options().sseKmsKeyId() != null
                    ? location.options().sseKmsKeyId() : "the account's AWS managed key aws/s3";
            return "objects are written with SSE-KMS key " + named + ": the credentials need kms:GenerateDataKey"
                    + " (and kms:Decrypt, for multipart uploads) on it, and s3:PutObject on the prefix";
        }
        if (request.equals("GetObject")) {
            if (kmsKey == null) {
                try {
                    HeadObjectResponse head = head(key);
                    if (head.serverSideEncryption() == ServerSideEncryption.AWS_KMS
                            || head.serverSideEncryption() == ServerSideEncryption.AWS_KMS_DSSE) {
                        kmsKey = head.ssekmsKeyId() != null ? head.ssekmsKeyId()
                                : "the account's AWS managed key aws/s3";
                    } else {
                        return "the credentials need s3:GetObject on the object (HeadObject works, so check the"
                                + " bucket policy's conditions for GetObject)";
                    }
                } catch (SdkException headDenied) {
                    return "the credentials need s3:GetObject on the object (HeadObject was denied too)";
                }
            }
            return "the object is encrypted with SSE-KMS key " + kmsKey + ": the credentials need kms:Decrypt on"
                    + " that key (its key policy or their IAM policy), and s3:GetObject on the object";
        }
        if (kmsKey != null) {
            return "KMS key " + kmsKey + " is involved: check its key policy for these credentials";
        }
        return "the credentials need " + switch (request) {
            case "ListObjectsV2", "HeadBucket" -> "s3:ListBucket on bucket " + bucket();
            case "HeadObject" -> "s3:GetObject on the object (and s3:ListBucket on the bucket to tell a missing"
                    + " object from a forbidden one)";
            case "DeleteObject" -> "s3:DeleteObject on the prefix";
            case "AbortMultipartUpload" -> "s3:AbortMultipartUpload on the prefix";
            default -> "s3:PutObject on the prefix";
        };
    }

    /** an existence check's 404 means "no such object" only once the bucket is known to exist */
    private void checkBucket() {
        if (bucketSeen.get()) {
            return;
        }
        S3Client client = connection.client();
        try {
            client.headBucket(r -> r.bucket(bucket()));
        } catch (SdkException e) {
            if (S3Errors.isNotFound(e)) {
                throw new TidemarkException(ErrorCode.STORAGE_BUCKET_NOT_FOUND, e, bucket(), connection.region(),
                        connection.where());
            }
            if (S3Errors.isDenied(e)) {
                // HeadBucket needs s3:ListBucket, which a prefix-only grant lacks: the object's 404 stands
                return;
            }
            throw failure("HeadBucket", "", e);
        }
        bucketSeen.set(true);
    }

    private NoSuchFileException noSuchFile(String key) {
        checkBucket();
        return new NoSuchFileException(location.uriOf(key).toString(), null,
                "no such object in bucket " + bucket() + " (" + connection.where() + ")");
    }

    /** the object key of a path under this storage's prefix */
    String key(String path) {
        if (path == null) {
            throw new IllegalArgumentException("no path");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("path " + path + " leaves the storage root " + root());
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("path " + path + " leaves the storage root " + root());
            }
        }
        String p = path;
        if (prefix().isEmpty()) {
            return p;
        }
        return p.isEmpty() ? prefix() : prefix() + "/" + p;
    }

    private String directoryKey(String directory) {
        String k = key(directory);
        return k.isEmpty() ? "" : k + "/";
    }

    URI uriOf(String key) {
        return location.uriOf(key);
    }

    private static String stripSlashes(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '/') {
            from++;
        }
        while (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        return s.substring(from, to);
    }
}
