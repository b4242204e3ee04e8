package io.tidemark.lightning.storage;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import io.tidemark.common.table.TableRef;
import org.xerial.snappy.SnappyFramedInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * How a dump data file is compressed as a whole, by its name's last suffix, as TiDB Lightning reads Dumpling's
 * {@code --compress} output: {@code .gz}/{@code .gzip}, {@code .zst}/{@code .zstd}, and {@code .snappy} in the snappy
 * <em>framing</em> format (Dumpling writes it with Go's {@code snappy.NewBufferedWriter} and Lightning reads it with
 * {@code snappy.NewReader}, both the framed stream, not raw blocks). A compressed file is read as one stream from its
 * start, so it is one chunk whatever its size. Parquet is never compressed whole: its pages are, inside the file.
 */
public enum FileCompression {
    NONE(""), GZIP("gzip"), ZSTD("zstd"), SNAPPY("snappy (framed)");

    private final String word;

    FileCompression(String word) {
        this.word = word;
    }

    public static FileCompression of(String file) {
        int dot = file.lastIndexOf('.');
        String suffix = dot < 0 ? "" : file.substring(dot + 1).toLowerCase(Locale.ROOT);
        return switch (suffix) {
            case "gz", "gzip" -> GZIP;
            case "zst", "zstd" -> ZSTD;
            case "snappy" -> SNAPPY;
            default -> NONE;
        };
    }

    /** the file's name without its compression suffix: what the decompressed bytes are ({@code x.csv}) */
    public static String uncompressedName(String file) {
        return of(file) == NONE ? file : file.substring(0, file.lastIndexOf('.'));
    }

    /**
     * The decompressed bytes of {@code raw}. A read that fails because the compressed bytes are corrupt or end early
     * throws {@link CorruptInput}, which names the file and the table whose rows it holds; a failure of {@code raw}
     * itself (the storage) passes through as it is, so it stays retriable.
     */
    public InputStream open(InputStream raw, String file, TableRef table) {
        return open(raw, file, "the rows of " + table);
    }

    /**
     * As {@link #open(InputStream, String, TableRef)} for a file that holds no rows, such as a schema file.
     *
     * @param holds what the file holds, for the message when it does not decompress: "the CREATE TABLE of `d`.`t`"
     */
    public InputStream open(InputStream raw, String file, String holds) {
        return this == NONE ? raw : new Decompressed(this, raw, file, holds);
    }

    /** the compressed bytes of a file do not decompress: the file is damaged, not the storage */
    public static final class CorruptInput extends IOException {
        CorruptInput(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Tells the decompressor's own failures from the storage's: the source stream records whether it threw. The
     * decompressor is made at the first read, as gzip and snappy read their header in their constructor.
     */
    private static final class Decompressed extends InputStream {
        private final FileCompression compression;
        private final Source source;
        private final String file;
        private final String holds;
        private InputStream inner;
        private long position;

        Decompressed(FileCompression compression, InputStream raw, String file, String holds) {
            this.compression = compression;
            this.source = new Source(raw);
            this.file = file;
            this.holds = holds;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                if (inner == null) {
                    inner = switch (compression) {
                        case GZIP -> new GZIPInputStream(source, 64 * 1024);
                        case ZSTD -> new ZstdInputStreamNoFinalizer(source);
                        case SNAPPY -> new SnappyFramedInputStream(source);
                        case NONE -> source;
                    };
                }
                int n = inner.read(b, off, len);
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (IOException | RuntimeException e) {
                if (source.failed) {
                    throw e;
                }
                throw new CorruptInput("it is " + compression.word + "-compressed but its bytes do not decompress"
                        + " after " + position + " decompressed bytes (" + e + "): the file is truncated or damaged,"
                        + " so " + holds + " in it cannot be read", e);
            }
        }

        @Override
        public void close() throws IOException {
            if (inner != null) {
                inner.close();
            } else {
                source.close();
            }
        }
    }

    /** the storage's stream, remembering whether it failed */
    private static final class Source extends java.io.FilterInputStream {
        boolean failed;

        Source(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                failed = true;
                throw e;
            }
        }
    }
}
