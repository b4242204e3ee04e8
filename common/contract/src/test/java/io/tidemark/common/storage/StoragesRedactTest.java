package io.tidemark.common.storage;

import io.tidemark.common.secret.SecretBox;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StoragesRedactTest {
    @Test
    void credentialsInALocationAreRedactedHoweverTheirNamesAreSpelt() {
        assertThat(Storages.redact("s3://b/p?region=r&access-key=AKIA1&secret_access_key=s3cr3t&Session-Token=t"))
                .isEqualTo("s3://b/p?region=r&access-key=***&secret_access_key=***&Session-Token=***");
        assertThat(Storages.redact("s3://b/p?secret%2Daccess%2Dkey=s3cr3t&endpoint=http://h:9000"))
                .doesNotContain("s3cr3t").contains("endpoint=http://h:9000");
        assertThat(Storages.redact("s3://KEY:SECRET@bucket/p")).isEqualTo("s3://***@bucket/p");
        assertThat(Storages.redact("/data/dumps")).isEqualTo("/data/dumps");
    }

    @Test
    void sealedKeysAreRedactedToo() {
        String sealed = LocationKeys.seal("s3://b/p?access-key=AKIA1&secret-access-key=s3cr3t&region=r",
                SecretBox.fromBase64Key(SecretBox.generateKey()));

        assertThat(Storages.redact(sealed)).isEqualTo("s3://b/p?access-key=***&secret-access-key=***&region=r");
    }

    @Test
    void aMisspeltKeyParameterIsHiddenSinceTheParserShowsTheLocationWhenRefusingIt() {
        assertThat(Storages.redact("s3://b/p?acess-key=AKIA1&secret-acess-key=s3cr3t&token=t"
                + "&sse-kms-key-id=alias/dumps"))
                .isEqualTo("s3://b/p?acess-key=***&secret-acess-key=***&token=***&sse-kms-key-id=alias/dumps");
    }
}
