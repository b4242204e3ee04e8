package io.tidemark.lightning.parquet;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Every file under a storage's root, at any depth, with its size: an export nests its Parquet files two to four
 * folders deep. The storage SPI lists one folder's files only, and no folders, so this is the one place that knows
 * how to see a whole tree: a {@code file:} root is walked on disk; for any other storage, each name that
 * {@link Storage#list} returns is taken as it is, which finds a nested file only where the storage lists by prefix
 * (as an object store without a delimiter does). When the SPI gains a recursive listing this class becomes a call.
 */
final class StorageTree {
    private StorageTree() {
    }

    /** relative path → size in bytes, sorted by path; hidden files (a name starting with '.') left out */
    static TreeMap<String, Long> files(Storage storage) {
        URI root = storage.root();
        try {
            if ("file".equalsIgnoreCase(root.getScheme())) {
                return walk(Path.of(root));
            }
            TreeMap<String, Long> out = new TreeMap<>();
            for (String name : storage.list("")) {
                if (!hidden(name)) {
                    out.put(name, storage.size(name));
                }
            }
            return out;
        } catch (IOException | UncheckedIOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, root, "cannot list its files: " + e.getMessage());
        }
    }

    private static TreeMap<String, Long> walk(Path base) throws IOException {
        TreeMap<String, Long> out = new TreeMap<>();
        if (!Files.isDirectory(base)) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(base)) {
            s.filter(Files::isRegularFile).forEach(files::add);
        }
        for (Path p : files) {
            String relative = base.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
            if (!hidden(relative)) {
                out.put(relative, Files.size(p));
            }
        }
        return out;
    }

    private static boolean hidden(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
