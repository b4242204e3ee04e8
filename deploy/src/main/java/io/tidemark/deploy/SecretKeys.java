package io.tidemark.deploy;

import io.tidemark.common.secret.SecretBox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The key the services seal passwords with: from TIDEMARK_SECRET_KEY, else kept in the data directory (mode 600). */
public final class SecretKeys {
    private SecretKeys() {
    }

    public static String load(Path dataDir) {
        String fromEnv = System.getenv("TIDEMARK_SECRET_KEY");
        if (fromEnv != null && !fromEnv.isBlank()) {
            SecretBox.fromBase64Key(fromEnv); // validates, with a message naming the variable's problem
            return fromEnv.strip();
        }
        Path file = dataDir.resolve("secret.key");
        try {
            if (Files.exists(file)) {
                String key = Files.readString(file).strip();
                SecretBox.fromBase64Key(key);
                return key;
            }
            Files.createDirectories(dataDir);
            String key = SecretBox.generateKey();
            Files.writeString(file, key + "\n");
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: the directory's own protection applies
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the secret key " + file, e);
        }
    }
}
