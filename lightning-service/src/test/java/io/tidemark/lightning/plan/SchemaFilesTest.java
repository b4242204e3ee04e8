package io.tidemark.lightning.plan;

import com.github.luben.zstd.ZstdOutputStream;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xerial.snappy.SnappyFramedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schema files as Dumpling's {@code --compress} writes them: found under their compressed names, read decompressed. */
class SchemaFilesTest {
    private static final TableRef ORDERS = TableRef.of("shop", "orders");
    private static final TableRef ITEMS = TableRef.of("shop", "items");
    private static final String CREATE_ORDERS = "CREATE TABLE `orders` (`id` int PRIMARY KEY, `note` text)";

    @TempDir
    Path dir;

    @Test
    void compressedSchemaFilesAreFoundAndReadAsThePlainOnes() throws Exception {
        write("shop-schema-create.sql.gz", "CREATE DATABASE `shop` /*!40100 DEFAULT CHARACTER SET latin1 */;\n");
        write("shop.orders-schema.sql.zst", "/*!40101 SET NAMES binary*/;\n" + CREATE_ORDERS + ";\n");
        write("shop.items-schema.sql.snappy", "CREATE TABLE `items` (`id` int);\n");

        SchemaFiles files = SchemaFiles.at(dir.toString(), 1 << 20);

        assertThat(files.creates(ORDERS)).isTrue();
        assertThat(files.creates(ITEMS)).isTrue();
        assertThat(files.creates(TableRef.of("shop", "other"))).isFalse();
        SchemaFiles.Statements database = files.createDatabase("shop", List.of("shop"));
        assertThat(database.file()).isEqualTo("shop-schema-create.sql.gz");
        assertThat(database.sql()).singleElement().asString().contains("DEFAULT CHARACTER SET latin1");
        SchemaFiles.Statements orders = files.createTable(ORDERS, ORDERS);
        assertThat(orders.file()).isEqualTo("shop.orders-schema.sql.zst");
        assertThat(orders.sql()).containsExactly("USE `shop`", "/*!40101 SET NAMES binary*/", CREATE_ORDERS);
        assertThat(files.createTable(ITEMS, TableRef.of("shop", "renamed")).sql()).last().asString()
                .contains("`renamed`");
    }

    @Test
    void aPlainSchemaFileBesideItsCompressedFormIsTheOneRead() throws Exception {
        Files.writeString(dir.resolve("shop.orders-schema.sql"), CREATE_ORDERS + ";\n");
        write("shop.orders-schema.sql.gz", "CREATE TABLE `orders` (`other` int);\n");

        SchemaFiles.Statements orders = SchemaFiles.at(dir.toString(), 1 << 20).createTable(ORDERS, ORDERS);

        assertThat(orders.file()).isEqualTo("shop.orders-schema.sql");
        assertThat(orders.sql()).contains(CREATE_ORDERS);
    }

    @Test
    void aTruncatedCompressedSchemaFileIsACorruptDumpFileNamingFileAndTable() throws Exception {
        StringBuilder ddl = new StringBuilder("CREATE TABLE `orders` (`id` int PRIMARY KEY");
        for (int i = 0; i < 2000; i++) {
            ddl.append(", `c").append(i).append("` varchar(").append(i % 200 + 1).append(")");
        }
        write("shop.orders-schema.sql.gz", ddl.append(");\n").toString());
        Path file = dir.resolve("shop.orders-schema.sql.gz");
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        SchemaFiles files = SchemaFiles.at(dir.toString(), 1 << 20);

        assertThatThrownBy(() -> files.createTable(ORDERS, ORDERS)).isInstanceOfSatisfying(TidemarkException.class,
                e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.DUMP_FILE_CORRUPT);
                    assertThat(e.getMessage()).contains("shop.orders-schema.sql.gz")
                            .contains("gzip-compressed but its bytes do not decompress")
                            .contains("the CREATE TABLE of " + ORDERS);
                });
    }

    /** writes {@code text} compressed as the name's suffix says, as Dumpling's --compress does */
    private void write(String name, String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = name.endsWith(".gz") ? new GZIPOutputStream(bytes)
                : name.endsWith(".zst") ? new ZstdOutputStream(bytes) : new SnappyFramedOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        Files.write(dir.resolve(name), bytes.toByteArray());
    }
}
