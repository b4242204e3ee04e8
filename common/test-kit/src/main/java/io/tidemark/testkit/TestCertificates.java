package io.tidemark.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA, a server certificate it signed for 127.0.0.1 (and localhost), a client certificate it signed, and a
 * second CA that signed nothing: made with the OS's {@code openssl} into a fresh directory. The server files go to
 * mariadbd's {@code --ssl-ca --ssl-cert --ssl-key} ({@link #serverOptions()}).
 */
public record TestCertificates(Path dir) {

    /** generates everything under a new directory in {@code baseDir} */
    public static TestCertificates create(Path baseDir) {
        try {
            Path dir = Files.createTempDirectory(Files.createDirectories(baseDir), "tls-");
            TestCertificates c = new TestCertificates(dir);
            c.selfSigned("ca", "Tidemark Test CA");
            c.selfSigned("other-ca", "Some Other CA");
            c.signed("server", "127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost");
            c.signed("client", "tidemark-client", "extendedKeyUsage=clientAuth");
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path otherCa() {
        return dir.resolve("other-ca.pem");
    }

    public Path serverCert() {
        return dir.resolve("server.pem");
    }

    public Path serverKey() {
        return dir.resolve("server-key.pem");
    }

    public Path clientCert() {
        return dir.resolve("client.pem");
    }

    public Path clientKey() {
        return dir.resolve("client-key.pem");
    }

    /** the file's PEM text */
    public static String pem(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** mariadbd options serving TLS with the server certificate; clients may still connect without TLS */
    public String[] serverOptions() {
        return new String[] {"--ssl-ca=" + ca(), "--ssl-cert=" + serverCert(), "--ssl-key=" + serverKey()};
    }

    private void selfSigned(String name, String cn) throws IOException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + cn,
                "-keyout", dir.resolve(name + "-key.pem").toString(), "-out", dir.resolve(name + ".pem").toString());
    }

    private void signed(String name, String cn, String extension) throws IOException {
        Path key = dir.resolve(name + "-key.pem");
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extension + "\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + cn, "-keyout", key.toString(),
                "-out", csr.toString());
        openssl("x509", "-req", "-in", csr.toString(), "-CA", ca().toString(), "-CAkey",
                dir.resolve("ca-key.pem").toString(), "-CAcreateserial", "-days", "2", "-extfile", ext.toString(),
                "-out", dir.resolve(name + ".pem").toString());
    }

    private void openssl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("openssl " + String.join(" ", args) + " failed: "
                        + Files.readString(dir.resolve("openssl.log")));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
