package io.tidemark.mysql.tls;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.endpoint.TlsSettings;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.secret.Secret;
import io.tidemark.common.secret.SecretBox;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one place that turns an endpoint's {@link TlsSettings} into what the clients need: Connector/J's
 * {@code sslMode} and key stores for every JDBC session ({@code Sessions}), and an {@link SSLContext} and mode for the
 * binlog client (dm-service's {@code BinlogStream}). Both read the same PEM material, so the two links of a source
 * are secured alike.
 *
 * <p>The client key is sealed in the endpoint; it is opened with a {@link SecretBox} the service kit registers
 * ({@link #openWith}), as storage keys are. Connector/J reads key material only from key store files, so
 * {@link KeyStores} writes PKCS#12 files under a private temporary directory, encrypted with a random password kept
 * in memory. Nothing here logs or echoes PEM text. Thread-safe.
 */
public final class DatabaseTls {
    /** the boxes of this process: one per running service context, which all hold the same key in practice */
    private static final List<SecretBox> BOXES = new CopyOnWriteArrayList<>();

    private final DatabaseEndpoint endpoint;
    private final TlsSettings settings;
    private final Material material;

    private DatabaseTls(DatabaseEndpoint endpoint, Material material) {
        this.endpoint = endpoint;
        this.settings = endpoint.tls();
        this.material = material;
    }

    /** A box registered by {@link #openWith}; closing it takes the box back. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Lets sessions open sealed client keys with {@code box} until the registration is closed. */
    public static Registration openWith(SecretBox box) {
        BOXES.add(box);
        return () -> BOXES.remove(box);
    }

    /**
     * The TLS of {@code endpoint}, its PEM material read and checked now.
     *
     * @throws TidemarkException {@link ErrorCode#TLS_MATERIAL_UNREADABLE} naming the part, the endpoint and why
     */
    public static DatabaseTls of(DatabaseEndpoint endpoint) {
        TlsSettings s = endpoint.tls();
        if (!s.enabled()) {
            return new DatabaseTls(endpoint, null);
        }
        String where = endpoint.describe();
        List<X509Certificate> ca = s.ca() == null ? List.of() : Pem.certificates(text(s.ca(), "CA", where), "CA",
                where);
        List<X509Certificate> chain = s.cert() == null ? List.of()
                : Pem.certificates(text(s.cert(), "client certificate", where), "client certificate", where);
        PrivateKey key = s.key() == null ? null : Pem.privateKey(key(s.key(), where), where);
        return new DatabaseTls(endpoint, new Material(ca, chain, key));
    }

    public TlsSettings settings() {
        return settings;
    }

    /**
     * Connector/J's URL parameter for the mode; the key stores go into {@link #addJdbcProperties} (their passwords
     * stay out of the URL, which drivers may log).
     */
    public String jdbcUrlParameters() {
        return "sslMode=" + switch (settings.mode()) {
            case DISABLED -> "DISABLED";
            case PREFERRED -> "PREFERRED";
            case REQUIRED -> "REQUIRED";
            case VERIFY_CA -> "VERIFY_CA";
            case VERIFY_FULL -> "VERIFY_IDENTITY";
        };
    }

    /** the trust and client key stores, as Connector/J properties */
    public void addJdbcProperties(Properties properties) {
        if (material == null) {
            return;
        }
        if (!material.ca().isEmpty()) {
            KeyStores.Stored trust = KeyStores.trustStore(material.ca(), endpoint.describe());
            properties.setProperty("trustCertificateKeyStoreUrl", trust.url());
            properties.setProperty("trustCertificateKeyStoreType", "PKCS12");
            properties.setProperty("trustCertificateKeyStorePassword", trust.password());
        }
        if (material.key() != null) {
            KeyStores.Stored client = KeyStores.clientStore(material.chain(), material.key(), endpoint.describe());
            properties.setProperty("clientCertificateKeyStoreUrl", client.url());
            properties.setProperty("clientCertificateKeyStoreType", "PKCS12");
            properties.setProperty("clientCertificateKeyStorePassword", client.password());
        }
    }

    /**
     * The mode as the binlog client names it ({@code SSLMode} of mysql-binlog-connector-java): DISABLED, PREFERRED,
     * REQUIRED, VERIFY_CA, VERIFY_IDENTITY.
     */
    public String binlogMode() {
        return settings.mode() == TlsSettings.Mode.VERIFY_FULL ? "VERIFY_IDENTITY"
                : settings.mode().name();
    }

    /**
     * The TLS layer over a connected socket, for the binlog client: the server's chain is checked against the CA in
     * the verify modes (and its name against the host in verify-full), never in preferred and required; the client
     * certificate is offered when there is one.
     */
    public SSLSocket wrap(Socket socket) throws SocketException {
        try {
            SSLSocket tls = (SSLSocket) context().getSocketFactory()
                    .createSocket(socket, endpoint.host(), endpoint.port(), true);
            if (settings.mode() == TlsSettings.Mode.VERIFY_FULL) {
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
            }
            return tls;
        } catch (IOException e) {
            SocketException s = new SocketException("cannot start TLS: " + e.getMessage());
            s.initCause(e);
            throw s;
        }
    }

    /** the context {@link #wrap} uses */
    public SSLContext context() {
        if (material == null) {
            throw new IllegalStateException("TLS is disabled for " + endpoint.describe());
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = null;
            if (material.key() != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(KeyStores.clientKeyStore(material.chain(), material.key(), KeyStores.MEMORY_PASSWORD),
                        KeyStores.MEMORY_PASSWORD);
            }
            TrustManager[] trust;
            if (settings.mode().verifies()) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(KeyStores.trustKeyStore(material.ca()));
                trust = tmf.getTrustManagers();
            } else {
                trust = new TrustManager[] {TrustAll.INSTANCE};
            }
            context.init(keys == null ? null : keys.getKeyManagers(), trust, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new TidemarkException(ErrorCode.TLS_MATERIAL_UNREADABLE, e, "material", endpoint.describe(),
                    e.getMessage());
        }
    }

    private static String text(String pemOrPath, String part, String where) {
        if (TlsSettings.isPem(pemOrPath)) {
            return pemOrPath;
        }
        try {
            return Files.readString(Path.of(pemOrPath), StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new TidemarkException(ErrorCode.TLS_MATERIAL_UNREADABLE, part, where,
                    "the file " + pemOrPath + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** the key's PEM: a sealed key opened with a registered box, a file: or env: reference resolved here */
    private static String key(Secret key, String where) {
        if (key.isReference()) {
            if (key.value().startsWith("file:")) {
                return text(key.value().substring("file:".length()), "client key", where);
            }
            String value = System.getenv(key.value().substring("env:".length()));
            if (value == null) {
                throw new TidemarkException(ErrorCode.TLS_MATERIAL_UNREADABLE, "client key", where,
                        "the environment variable " + key.value().substring(4) + " is not set");
            }
            return value;
        }
        if (BOXES.isEmpty()) {
            throw new TidemarkException(ErrorCode.SECRET_KEY_MISSING, "the TLS client key of " + where
                    + " is sealed, and this process was given no tidemark.secret-key to open it");
        }
        TidemarkException last = null;
        for (SecretBox box : BOXES) {
            try {
                return box.open(key);
            } catch (TidemarkException wrongKey) {
                last = wrongKey; // another box of this process may hold the key it was sealed with
            }
        }
        throw last;
    }

    private record Material(List<X509Certificate> ca, List<X509Certificate> chain, PrivateKey key) {
    }

    /** preferred and required encrypt without checking who answers, as MySQL's own client does in those modes */
    private static final class TrustAll implements X509TrustManager {
        static final TrustAll INSTANCE = new TrustAll();

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
