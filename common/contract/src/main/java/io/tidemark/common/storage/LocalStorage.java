package io.tidemark.common.storage;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/** A directory on local disk. Files are written to a hidden temporary name and renamed into place on close. */
public final class LocalStorage implements Storage {
    private final Path root;

    public LocalStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public URI root() {
        return root.toUri();
    }

    private Path path(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root)) {
            throw new IllegalArgumentException("path " + relative + " leaves the storage root " + root);
        }
        return p;
    }

    @Override
    public OutputStream create(String relative) throws IOException {
        Path target = path(relative);
        Files.createDirectories(target.getParent());
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        OutputStream out = Files.newOutputStream(temp);
        return new FilterOutputStream(out) {
            private boolean closed;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                if (closed) {
                    return;
                }
                closed = true;
                try {
                    out.close();
                    try {
                        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        };
    }

    @Override
    public InputStream open(String relative) throws IOException {
        return Files.newInputStream(path(relative));
    }

    @Override
    public InputStream open(String relative, long offset, long length) throws IOException {
        Ranges.check(offset, length);
        FileChannel channel = FileChannel.open(path(relative), StandardOpenOption.READ);
        try {
            channel.position(offset);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return new BoundedInputStream(Channels.newInputStream(channel), length);
    }

    @Override
    public boolean exists(String relative) {
        return Files.isRegularFile(path(relative));
    }

    @Override
    public long size(String relative) throws IOException {
        return Files.size(path(relative));
    }

    @Override
    public List<String> list(String directory) throws IOException {
        Path dir = path(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .forEach(n -> names.add(directory.isEmpty() ? n : directory + "/" + n));
        }
        return names;
    }

    @Override
    public List<String> directories(String directory) throws IOException {
        Path dir = path(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith("."))
                    .sorted()
                    .map(n -> directory.isEmpty() ? n : directory + "/" + n)
                    .toList();
        }
    }

    @Override
    public void delete(String relative) throws IOException {
        try {
            Files.delete(path(relative));
        } catch (NoSuchFileException ignored) {
            // already gone: deleting is idempotent
        }
    }

    @Override
    public Storage resolve(String subdirectory) {
        return new LocalStorage(path(subdirectory));
    }

    @Override
    public String toString() {
        return root.toUri().toString();
    }
}
