package io.tidemark.common.secret;

import io.tidemark.common.endpoint.DatabaseEndpoint;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.serde.MessageCodec;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {
    private final SecretBox box = SecretBox.fromBase64Key(SecretBox.generateKey());

    @Test
    void sealedPasswordsOpenWithTheSameKeyAndNeverShowInJsonOrToString() {
        Secret sealed = box.seal("s3cr3t-пароль-🔑");
        assertThat(box.open(sealed)).isEqualTo("s3cr3t-пароль-🔑");
        assertThat(sealed.toString()).isEqualTo("******");
        DatabaseEndpoint endpoint = new DatabaseEndpoint("db", 3306, "admin", sealed);
        String json = MessageCodec.mapper().writeValueAsString(endpoint);
        assertThat(json).doesNotContain("s3cr3t").contains("enc:v1:");
        assertThat(endpoint.toString()).isEqualTo("admin@db:3306");
    }

    @Test
    void twoSealsOfOneValueDiffer() {
        assertThat(box.seal("x").value()).isNotEqualTo(box.seal("x").value());
    }

    @Test
    void anotherKeyCannotOpenItAndSaysWhatToDo() {
        Secret sealed = box.seal("pw");
        SecretBox other = SecretBox.fromBase64Key(SecretBox.generateKey());
        assertThatThrownBy(() -> other.open(sealed))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("TM-10006")
                .hasMessageContaining("same tidemark.secret-key");
    }

    @Test
    void plaintextCannotBeASecret() {
        assertThatThrownBy(() -> new Secret("hunter2")).hasMessageContaining("never plaintext");
    }

    @Test
    void aBadKeyNamesTheSettingAndTheFix() {
        assertThatThrownBy(() -> SecretBox.fromBase64Key("c2hvcnQ="))
                .hasMessageContaining("decodes to 5 bytes, 32 are needed")
                .hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void anEnvironmentReferenceIsResolvedWhereUsed() {
        assertThatThrownBy(() -> box.open(new Secret("env:TIDEMARK_SURELY_UNSET_VAR")))
                .hasMessageContaining("environment variable TIDEMARK_SURELY_UNSET_VAR is not set");
    }
}
