package io.tidemark.snapshot.dump;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array a row is rendered into before it is written; reused row after row. Not thread-safe. */
final class ByteBuf {
    private byte[] bytes = new byte[8192];
    private int size;

    void append(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    void append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
    }

    void append(String ascii) {
        append(ascii.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
        // a huge row (a LONGBLOB) must not pin its buffer for the rest of the table
        if (bytes.length > 4 << 20) {
            bytes = new byte[8192];
        }
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
