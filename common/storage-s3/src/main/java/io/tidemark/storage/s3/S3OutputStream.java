package io.tidemark.storage.s3;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Uploads one object when closed: a single PutObject when it fits in one part, else a multipart upload whose parts go
 * out as they fill. Memory is one part buffer (grown up to {@link #PART_SIZE} as data comes). A failed part aborts the
 * upload, so nothing half-written becomes visible and no parts are left to pay for; after a failure the stream refuses
 * further writes and its close publishes nothing. Not thread-safe, like any OutputStream.
 */
final class S3OutputStream extends OutputStream {
    private static final Logger LOGGER = LoggerFactory.getLogger(S3OutputStream.class);
    /** S3 takes parts of 5 MiB to 5 GiB, at most 10,000 of them: 8 MiB parts make objects of up to 78 GiB */
    static final int PART_SIZE = 8 << 20;
    static final int MAX_PARTS = 10_000;
    private static final int FIRST_BUFFER = 64 << 10;
    private static final String CONTENT_TYPE = "application/octet-stream";

    private final S3Storage storage;
    private final String key;
    private byte[] buffer = new byte[0];
    private int filled;
    private String uploadId;
    private final List<CompletedPart> parts = new ArrayList<>();
    private RuntimeException failure;
    private boolean closed;

    S3OutputStream(S3Storage storage, String key) {
        this.storage = storage;
        this.key = key;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (filled == PART_SIZE) {
                // a part goes out only when more data follows it, so the last part is never empty
                uploadPart();
            }
            grow(Math.min(PART_SIZE, (long) filled + len));
            int n = Math.min(len, buffer.length - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failure != null) {
            throw new IOException(storage.uriOf(key) + " was not written: an earlier part failed", failure);
        }
        try {
            if (uploadId == null) {
                putObject();
            } else {
                if (filled > 0) {
                    uploadPart();
                }
                completeUpload();
            }
        } finally {
            buffer = null;
        }
    }

    private void putObject() {
        var options = storage.location().options();
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(storage.bucket()).key(key)
                .contentType(CONTENT_TYPE).contentLength((long) filled);
        if (options.storageClass() != null) {
            request.storageClass(options.storageClass());
        }
        if (options.sse() != Sse.NONE) {
            request.serverSideEncryption(options.sse().parameter()).ssekmsKeyId(options.sseKmsKeyId());
        }
        if (options.acl() != null) {
            request.acl(options.acl());
        }
        try {
            storage.connection().client().putObject(request.build(), body());
        } catch (SdkException e) {
            throw storage.failure("PutObject", key, e);
        }
    }

    private void uploadPart() {
        if (parts.size() == MAX_PARTS) {
            throw fail(new IllegalStateException(storage.uriOf(key) + " would need more than " + MAX_PARTS
                    + " parts of " + (PART_SIZE >> 20) + " MiB, S3's limit: write files of at most "
                    + ((long) MAX_PARTS * PART_SIZE >> 30) + " GiB"));
        }
        boolean checksums = storage.connection().flexibleChecksums();
        try {
            if (uploadId == null) {
                uploadId = storage.connection().client().createMultipartUpload(createRequest(checksums)).uploadId();
                LOGGER.debug("multipart upload {} of {} started", uploadId, storage.uriOf(key));
            }
        } catch (SdkException e) {
            throw fail(storage.failure("CreateMultipartUpload", key, e));
        }
        int number = parts.size() + 1;
        try {
            UploadPartResponse response = storage.connection().client().uploadPart(r -> {
                r.bucket(storage.bucket()).key(key).uploadId(uploadId).partNumber(number)
                        .contentLength((long) filled);
                if (checksums) {
                    r.checksumAlgorithm(ChecksumAlgorithm.CRC32);
                }
            }, body());
            parts.add(CompletedPart.builder().partNumber(number).eTag(response.eTag())
                    .checksumCRC32(response.checksumCRC32()).build());
            filled = 0;
        } catch (SdkException e) {
            throw fail(storage.failure("UploadPart", key, e));
        }
    }

    private CreateMultipartUploadRequest createRequest(boolean checksums) {
        var options = storage.location().options();
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder()
                .bucket(storage.bucket()).key(key).contentType(CONTENT_TYPE);
        if (checksums) {
            request.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        if (options.storageClass() != null) {
            request.storageClass(options.storageClass());
        }
        if (options.sse() != Sse.NONE) {
            request.serverSideEncryption(options.sse().parameter()).ssekmsKeyId(options.sseKmsKeyId());
        }
        if (options.acl() != null) {
            request.acl(options.acl());
        }
        return request.build();
    }

    private void completeUpload() {
        try {
            storage.connection().client().completeMultipartUpload(r -> r.bucket(storage.bucket()).key(key)
                    .uploadId(uploadId).multipartUpload(m -> m.parts(parts)));
            LOGGER.debug("multipart upload {} of {} completed with {} parts", uploadId, storage.uriOf(key),
                    parts.size());
        } catch (SdkException e) {
            throw fail(storage.failure("CompleteMultipartUpload", key, e));
        }
    }

    /** the buffer's bytes as a request body the SDK may read again on a retry, without copying them */
    private RequestBody body() {
        byte[] bytes = buffer;
        int length = filled;
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(bytes, 0, length), length,
                CONTENT_TYPE);
    }

    /** aborts the upload and remembers the failure, to be thrown by the caller */
    private RuntimeException fail(RuntimeException e) {
        failure = e;
        buffer = null;
        if (uploadId != null) {
            try {
                storage.connection().client().abortMultipartUpload(r -> r.bucket(storage.bucket()).key(key)
                        .uploadId(uploadId));
            } catch (SdkException abortFailed) {
                LOGGER.warn("could not abort multipart upload {} of {}: its parts stay until a lifecycle rule"
                        + " (AbortIncompleteMultipartUpload) removes them: {}", uploadId, storage.uriOf(key),
                        abortFailed.toString());
                e.addSuppressed(abortFailed);
            }
        }
        return e;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(storage.uriOf(key) + ": stream closed");
        }
        if (failure != null) {
            throw new IOException(storage.uriOf(key) + " was not written: an earlier part failed", failure);
        }
    }

    private void grow(long needed) {
        if (buffer.length >= needed) {
            return;
        }
        int size = Math.max(buffer.length, FIRST_BUFFER);
        while (size < needed) {
            size = Math.min(PART_SIZE, size * 2);
        }
        buffer = Arrays.copyOf(buffer, size);
    }
}
