package io.tidemark.coordinator.precheck;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;

import java.io.IOException;
import java.util.List;

/**
 * {@code storage_readable} (and {@code schema_storage_readable}): the files a mode-import migration imports can be
 * listed where the spec says they are, and something is there. One listing of the location's top level — what the
 * import's planner does first — not a walk of the whole export.
 */
final class StorageReadable implements Precheck<Storage> {
    static final String NAME = "storage_readable";
    static final String SCHEMA_NAME = "schema_storage_readable";

    private final String name;
    private final String field;

    private StorageReadable(String name, String field) {
        this.name = name;
        this.field = field;
    }

    /** where the data files are: the spec's {@code storage} */
    static StorageReadable data() {
        return new StorageReadable(NAME, "storage");
    }

    /** where the schema files are, when not beside the data: the spec's {@code schemaStorage} */
    static StorageReadable schema() {
        return new StorageReadable(SCHEMA_NAME, "schemaStorage");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CheckResult check(Storage storage) {
        List<String> files;
        List<String> folders;
        try {
            files = storage.list("");
            folders = storage.directories("");
        } catch (IOException e) {
            return CheckResult.fail(name, new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(),
                    "cannot list it: " + e.getMessage()), "check that the location exists and that the services'"
                    + " user (on S3: their credentials, with s3:ListBucket) may read it");
        }
        if (files.isEmpty() && folders.isEmpty()) {
            return CheckResult.fail(name, new TidemarkException(ErrorCode.STORAGE_IO, storage.root(),
                    "nothing is there, no file and no folder"), "point " + field + " at the folder the export or"
                    + " dump wrote (for an Aurora snapshot export, the S3 prefix given to the export task)");
        }
        return CheckResult.pass(name, "listed " + storage.root() + ": " + files.size() + " files and "
                + folders.size() + " folders at its top");
    }
}
