package io.tidemark.coordinator.config.lightning;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Test helpers: the TOML resources, lines in them, and parsing that must fail. */
final class Toml {
    private Toml() {
    }

    static String resource(String path) {
        try (InputStream in = Toml.class.getResourceAsStream("/lightning/" + path)) {
            assertThat(in).as("test resource %s", path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** the 1-based line of the first line that starts with {@code prefix} (leading blanks ignored) */
    static int lineOf(String text, String prefix) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].strip().startsWith(prefix)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line starts with " + prefix);
    }

    static LightningConfigException failure(String toml) {
        LightningConfigException e = catchThrowableOfType(LightningConfigException.class,
                () -> LightningConfigs.parse(toml, "test.toml"));
        assertThat(e).as("parsing should fail:%n%s", toml).isNotNull();
        return e;
    }

    /** a minimal valid file to which a test adds the lines it is about */
    static String valid(String more) {
        return """
                [tidb]
                host = "10.0.1.5"
                port = 4000
                user = "root"
                password = ""

                [mydumper]
                data-source-dir = "/data/export"
                """ + more;
    }
}
