package io.tidemark.mysql.precheck.storage;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** The storage checks: a dump or import location must take a file and let it be deleted again. */
public final class StorageChecks {
    public static final String WRITABLE = "storage_writable";

    private StorageChecks() {
    }

    public static List<Precheck<Storage>> all() {
        return List.of(writable());
    }

    /** writes and deletes a probe file through the storage SPI: the same calls a dump makes */
    public static Precheck<Storage> writable() {
        return new Writable();
    }

    static final class Writable implements Precheck<Storage> {
        private static final String DIRECTORY = ".tidemark-precheck";

        @Override
        public String name() {
            return WRITABLE;
        }

        @Override
        public CheckResult check(Storage storage) {
            String path = DIRECTORY + "/" + UUID.randomUUID() + ".probe";
            String step = "writing " + path;
            try {
                try (OutputStream out = storage.create(path)) {
                    out.write("tidemark precheck\n".getBytes(StandardCharsets.UTF_8));
                }
                step = "deleting " + path;
                storage.delete(path);
                return CheckResult.pass(name(), "wrote and deleted " + path + " under " + storage.root());
            } catch (IOException e) {
                Cause cause = Cause.of(e);
                return CheckResult.fail(name(), new TidemarkException(cause.code, e, storage.root(),
                        step + ": " + cause.what), cause.instruction);
            }
        }
    }

    /** what an I/O failure says about the location, read from the exception's type and the system's reason */
    record Cause(ErrorCode code, String what, String instruction) {
        static Cause of(IOException e) {
            String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                    : String.valueOf(e.getMessage());
            String lower = reason.toLowerCase(Locale.ROOT);
            if (e instanceof AccessDeniedException || lower.contains("permission denied")
                    || lower.contains("access denied")) {
                return new Cause(ErrorCode.STORAGE_NOT_WRITABLE, "permission denied" + where(e),
                        "give the services' user write access to the location (a directory: chown or chmod it; S3:"
                                + " allow s3:PutObject and s3:DeleteObject on the prefix)");
            }
            if (lower.contains("read-only file system")) {
                return new Cause(ErrorCode.STORAGE_NOT_WRITABLE, "the file system is mounted read-only" + where(e),
                        "mount the location read-write, or choose a location on a writable file system");
            }
            if (e instanceof NoSuchFileException) {
                return new Cause(ErrorCode.STORAGE_NOT_WRITABLE, "a directory on the way does not exist"
                        + where(e), "create the location's directory (and its parents), or correct the location");
            }
            if (lower.contains("no space left")) {
                return new Cause(ErrorCode.STORAGE_NOT_WRITABLE, "the disk is full" + where(e),
                        "free space on the location's disk, or choose a location with room for the dump");
            }
            return new Cause(ErrorCode.STORAGE_IO, reason, ErrorCode.STORAGE_IO.remedy());
        }

        private static String where(IOException e) {
            return e instanceof FileSystemException fs && fs.getFile() != null ? " (" + fs.getFile() + ")" : "";
        }
    }
}
