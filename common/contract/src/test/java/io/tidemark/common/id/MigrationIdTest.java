package io.tidemark.common.id;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationIdTest {
    @Test
    void anIdFromANameIsASlugWithARandomSuffix() {
        MigrationId a = MigrationId.fromName("Shop → TiDB (prod)");
        MigrationId b = MigrationId.fromName("Shop → TiDB (prod)");
        assertThat(a.value()).matches("shop-tidb-prod-[a-z0-9]+");
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void anInvalidIdIsRejected() {
        assertThatThrownBy(() -> MigrationId.of("../x")).hasMessageContaining("must match");
    }
}
