package io.tidemark.coordinator.api;

import io.tidemark.common.secret.Secret;
import io.tidemark.common.secret.SecretBox;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The task file kept for config export: only the target password changes, sealed in place, whatever surrounds it. */
class TaskFileTextTest {
    private static final SecretBox SECRETS = SecretBox.fromBase64Key(SecretBox.generateKey());
    private static final String SEALED = "\"enc:v1:[A-Za-z0-9+/=]+\"";

    @Test
    void aPlaintextPasswordIsSealedInPlaceAndEveryOtherCharacterIsKept() {
        String text = "# t\u00e2che \uD83D\uDE80 of the shop\nname: shop\ntarget-database:\n  host: h\n"
                + "  password: \"p\u00e4ss w\u00f6rd\"  # keep me\n  user: root\n";

        String kept = TaskFileText.sealed(text, SECRETS);

        assertThat(kept).doesNotContain("p\u00e4ss").containsPattern("  password: " + SEALED + "  # keep me\n");
        assertThat(kept.replaceAll(SEALED, "\"p\u00e4ss w\u00f6rd\"")).isEqualTo(text);
        String sealed = TaskFileText.value(kept, TaskFileText.TARGET_PASSWORD).orElseThrow();
        assertThat(SECRETS.open(new Secret(sealed))).isEqualTo("p\u00e4ss w\u00f6rd");
    }

    @Test
    void jsonOfTheSameKeysAndAPlainScalarAreSealedToo() {
        String json = "{\"name\": \"shop\", \"target-database\": {\"password\": \"x\", \"port\": 4000}}";
        assertThat(TaskFileText.sealed(json, SECRETS)).matches("\\{\"name\": \"shop\", \"target-database\":"
                + " \\{\"password\": " + SEALED + ", \"port\": 4000}}");
        assertThat(TaskFileText.sealed("target-database:\n  password: plain\n", SECRETS))
                .matches("target-database:\n  password: " + SEALED + "\n");
    }

    @Test
    void aSealedPasswordNoPasswordAndUnreadableYamlAreLeftAsTheyAre() {
        String sealed = "target-database:\n  password: " + SECRETS.seal("x").value() + "\n";
        assertThat(TaskFileText.sealed(sealed, SECRETS)).isEqualTo(sealed);
        assertThat(TaskFileText.sealed("name: t\n", SECRETS)).isEqualTo("name: t\n");
        assertThat(TaskFileText.sealed("a: [\n", SECRETS)).isEqualTo("a: [\n");
        assertThat(TaskFileText.value("from:\n  password: p\n", TaskFileText.SOURCE_PASSWORD)).hasValue("p");
    }
}
