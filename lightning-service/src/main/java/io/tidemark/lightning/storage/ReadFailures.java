package io.tidemark.lightning.storage;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * What an {@link IOException} from reading a dump file means, the same on local disk and S3: a file that is not there
 * is a dump the import cannot finish ({@link ErrorCode#DUMP_FILE_CORRUPT}, fatal); any other I/O failure is the
 * storage's and may pass ({@link ErrorCode#STORAGE_IO}, retried: a chunk resumes from its checkpoint). A fault the user
 * must fix (no such bucket, access denied) is already a {@link TidemarkException} from the storage and never gets here.
 * A file whose bytes arrive but do not parse is the reader's to report, as corrupt; one whose compressed bytes do not
 * decompress ({@link FileCompression.CorruptInput}) is corrupt too, whatever read it.
 */
public final class ReadFailures {
    private ReadFailures() {
    }

    /**
     * @param file  the file's path under the storage's root
     * @param root  the storage's root, credentials left out ({@code Storage#root()})
     * @param action what failed, said of the file: "open", "read the size of", "read byte 4096 of"
     */
    public static TidemarkException of(String file, Object root, String action, IOException e) {
        if (e instanceof FileCompression.CorruptInput) {
            return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, e, file, e.getMessage());
        }
        if (e instanceof NoSuchFileException) {
            return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, e, file, "it is missing from " + root
                    + ": copy it back, or dump that table again");
        }
        return new TidemarkException(ErrorCode.STORAGE_IO, e, root, "cannot " + action + " " + file + ": " + e);
    }
}
