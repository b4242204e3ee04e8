package io.tidemark.common.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StoragesRedactTest {
    @Test
    void credentialsInALocationAreRedactedHoweverTheirNamesAreSpelt() {
        assertThat(Storages.redact("s3://b/p?region=r&access-key=AKIA1&secret_access_key=s3cr3t&Session-Token=t"))
                .isEqualTo("s3://b/p?region=r&access-key=redacted&secret_access_key=redacted&Session-Token=redacted");
        assertThat(Storages.redact("s3://b/p?secret%2Daccess%2Dkey=s3cr3t&endpoint=http://h:9000"))
                .doesNotContain("s3cr3t").contains("endpoint=http://h:9000");
        assertThat(Storages.redact("s3://KEY:SECRET@bucket/p")).doesNotContain("SECRET");
        assertThat(Storages.redact("/data/dumps")).isEqualTo("/data/dumps");
    }
}
