package io.tidemark.mysql.tls;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key forms openssl writes: PKCS#8 and RSA's PKCS#1 are read, the others refused naming the conversion. */
class PemTest {
    @TempDir
    Path dir;

    private String openssl(String name, String... args) throws Exception {
        Path out = dir.resolve(name);
        // -out right after the command: genrsa takes its key size last
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", args[0], "-out", out.toString()));
        cmd.addAll(List.of(args).subList(1, args.length));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).as("openssl %s", cmd).isZero();
        return Files.readString(out);
    }

    @Test
    void pkcs8AndPkcs1RsaKeysAreTheSameKey() throws Exception {
        String pkcs1 = openssl("rsa1.pem", "genrsa", "-traditional", "2048");
        assertThat(pkcs1).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        Files.writeString(dir.resolve("in.pem"), pkcs1);
        String pkcs8 = openssl("rsa8.pem", "pkcs8", "-topk8", "-nocrypt", "-in", dir.resolve("in.pem").toString());

        PrivateKey a = Pem.privateKey(pkcs1, "u@h:1");
        PrivateKey b = Pem.privateKey(pkcs8, "u@h:1");

        assertThat(a.getAlgorithm()).isEqualTo("RSA");
        assertThat(a.getEncoded()).isEqualTo(b.getEncoded());
    }

    @Test
    void anEcKeyInPkcs8IsRead() throws Exception {
        String ec = openssl("ec.pem", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        assertThat(Pem.privateKey(ec, "u@h:1").getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void otherFormsAreRefusedNamingTheEndpointAndTheConversion() throws Exception {
        String sec1 = openssl("sec1.pem", "ecparam", "-name", "prime256v1", "-genkey", "-noout");
        assertThatThrownBy(() -> Pem.privateKey(sec1, "u@h:1")).isInstanceOfSatisfying(TidemarkException.class,
                e -> {
                    assertThat(e.error()).isEqualTo(ErrorCode.TLS_MATERIAL_UNREADABLE);
                    assertThat(e.getMessage()).contains("client key of u@h:1").contains("EC PRIVATE KEY")
                            .contains("openssl pkcs8 -topk8 -nocrypt");
                });
        assertThatThrownBy(() -> Pem.privateKey("not a key", "u@h:1"))
                .hasMessageContaining("it is not PEM text");
        assertThatThrownBy(() -> Pem.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "CA", "u@h:1")).isInstanceOfSatisfying(TidemarkException.class,
                e -> assertThat(e.getMessage()).contains("cannot read the TLS CA of u@h:1"));
    }
}
