package io.tidemark.mysql.tls;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PKCS#12 key stores for Connector/J, which reads TLS material only from key store URLs. Each distinct material is
 * written once per process, under a directory only this user may read, encrypted with a random password that exists
 * only in memory; the files go when the process ends.
 */
final class KeyStores {
    /** the password of stores that never leave memory (the binlog client's) */
    static final char[] MEMORY_PASSWORD = "in-memory".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Map<String, Stored> WRITTEN = new ConcurrentHashMap<>();
    private static volatile Path directory;

    /** a written store: its {@code file:} URL and password */
    record Stored(String url, String password) {
        @Override
        public String toString() {
            return url;
        }
    }

    private KeyStores() {
    }

    static KeyStore trustKeyStore(List<X509Certificate> ca) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < ca.size(); i++) {
            store.setCertificateEntry("ca" + i, ca.get(i));
        }
        return store;
    }

    static KeyStore clientKeyStore(List<X509Certificate> chain, PrivateKey key, char[] password)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", key, password, chain.toArray(X509Certificate[]::new));
        return store;
    }

    static Stored trustStore(List<X509Certificate> ca, String where) {
        return written(fingerprint("trust", ca, null), where, password -> trustKeyStore(ca));
    }

    static Stored clientStore(List<X509Certificate> chain, PrivateKey key, String where) {
        return written(fingerprint("client", chain, key), where, password -> clientKeyStore(chain, key, password));
    }

    private interface Builder {
        KeyStore build(char[] password) throws GeneralSecurityException, IOException;
    }

    private static Stored written(String fingerprint, String where, Builder builder) {
        return WRITTEN.computeIfAbsent(fingerprint, f -> {
            byte[] random = new byte[24];
            RANDOM.nextBytes(random);
            char[] password = HexFormat.of().formatHex(random).toCharArray();
            try {
                Path file = Files.createTempFile(directory(), "store-", ".p12");
                file.toFile().deleteOnExit();
                try (OutputStream out = Files.newOutputStream(file)) {
                    builder.build(password).store(out, password);
                }
                return new Stored(file.toUri().toString(), new String(password));
            } catch (GeneralSecurityException | IOException e) {
                throw new TidemarkException(ErrorCode.TLS_MATERIAL_UNREADABLE, e, "key store", where,
                        "cannot write it to the temporary directory (" + e.getMessage() + ")");
            }
        });
    }

    private static synchronized Path directory() throws IOException {
        if (directory == null) {
            Path dir = Files.createTempDirectory("tidemark-tls-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            dir.toFile().deleteOnExit();
            directory = dir;
        }
        return directory;
    }

    /** the same material gives the same store; a digest, so the map holds no key */
    private static String fingerprint(String kind, List<X509Certificate> certs, PrivateKey key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(kind.getBytes());
            for (X509Certificate c : certs) {
                sha.update(c.getEncoded());
            }
            if (key != null) {
                sha.update(key.getEncoded());
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
