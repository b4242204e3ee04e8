package io.tidemark.deploy.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tidemark verify}'s command line: its flags parsed, each mistake refused with exit 2 before any call. */
class VerifyArgumentsTest {
    @Test
    void theVerbsFlagsAreParsedAndDefaultToNowWithoutLock() throws Exception {
        assertThat(Arguments.parse(List.of("--json", "verify", "shop-k3f9a", "--at", "mysql-bin.000004:1234",
                "--lock", "--chunk-rows=500", "--timeout", "2m"), Map.of()))
                .isEqualTo(new Invocation.Verify(MasterAddr.parse("127.0.0.1:8080", "-"), "shop-k3f9a",
                        "mysql-bin.000004:1234", true, 500, "2m", true));
        assertThat(Arguments.parse(List.of("verify", "task1"), Map.of()))
                .isEqualTo(new Invocation.Verify(MasterAddr.parse("127.0.0.1:8080", "-"), "task1", "now", false,
                        null, null, false));
    }

    @Test
    void aBadPositionChunkSizeOrOperandIsAUsageError() {
        assertThat(Run.of("verify", "m", "--at", "yesterday")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("tidemark: --at 'yesterday' is neither now nor FILE:POS");
        });
        assertThat(Run.of("verify", "m", "--chunk-rows", "0").err())
                .startsWith("tidemark: --chunk-rows '0' is not a number of rows of 1 or more");
        assertThat(Run.of("verify").err()).startsWith("tidemark: verify needs one task name or migration id, not 0");
        assertThat(Run.of("import", "--config", "a", "--lock").err())
                .startsWith("tidemark: --lock is not an option of import; verify takes it");
    }
}
