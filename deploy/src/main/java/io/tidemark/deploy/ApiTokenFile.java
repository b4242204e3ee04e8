package io.tidemark.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a launcher's coordinator keeps its API token ({@code tidemark.api.token-file}): {@code <data-dir>/api-token},
 * created by the coordinator on its first start, unless {@code TIDEMARK_API_TOKENS} configures tokens. The tidemark
 * client run in the launcher's directory finds the default data directory's file by itself.
 */
public final class ApiTokenFile {
    private ApiTokenFile() {
    }

    public static Path in(Path dataDir) {
        return dataDir.resolve("api-token");
    }

    /** the token the launcher's own calls (the demo's) send: the first configured one, else the coordinator's file */
    public static String read(Path dataDir) {
        String configured = System.getenv("TIDEMARK_API_TOKENS");
        if (configured != null && !configured.isBlank()) {
            return configured.split(",")[0].strip();
        }
        try {
            return Files.readString(in(dataDir)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("the coordinator's API token file " + in(dataDir) + " cannot be read", e);
        }
    }
}
