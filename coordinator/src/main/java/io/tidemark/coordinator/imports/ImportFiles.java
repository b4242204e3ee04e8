package io.tidemark.coordinator.imports;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Every file under an import's location, at any depth, with its size: one walk of the storage (on S3, one listing by
 * prefix), taken when the import is submitted. Hidden files (names starting with '.') are left out, as the storage
 * leaves them out.
 *
 * @param location the location as the workers take it; may hold parameters, never keys (the API refuses those)
 * @param files    path relative to the location → size in bytes, sorted by path
 */
public record ImportFiles(String location, SortedMap<String, Long> files) {
    public ImportFiles {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /**
     * @throws TidemarkException what the storage says (a bucket that does not exist, access denied, no credentials),
     *                           or STORAGE_IO naming the location
     */
    public static ImportFiles list(String location) {
        Storage storage = Storages.open(location);
        try {
            return new ImportFiles(location, storage.walk(""));
        } catch (IOException | UncheckedIOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "cannot list its files: "
                    + e.getMessage());
        }
    }

    /** the location for messages, without any key */
    public String shown() {
        return Storages.redact(location);
    }
}
