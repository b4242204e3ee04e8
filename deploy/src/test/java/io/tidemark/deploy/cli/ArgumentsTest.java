package io.tidemark.deploy.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as dmctl and tidb-lightning users write it, and every mistake answered with exit 2 and the fix. */
class ArgumentsTest {

    @Test
    void globalFlagsComeBeforeTheVerbAndTheVerbsFlagsAfterItInAnyOfGosSpellings() throws Exception {
        assertThat(Arguments.parse(List.of("--master-addr", "10.0.0.5:9090", "import", "--config", "a.toml",
                "--detach"), Map.of()))
                .isEqualTo(new Invocation.Import(MasterAddr.parse("10.0.0.5:9090", "-"), Path.of("a.toml"), true, false));
        // tidb-lightning's own spelling, and --name=value
        assertThat(Arguments.parse(List.of("import", "-config", "a.toml", "--master-addr=http://h:1"), Map.of()))
                .isEqualTo(new Invocation.Import(MasterAddr.parse("http://h:1", "-"), Path.of("a.toml"), false, false));
        assertThat(Arguments.parse(List.of("query-status", "shop-k3f9a"), Map.of()))
                .isEqualTo(new Invocation.QueryStatus(MasterAddr.parse("127.0.0.1:8080", "-"), Optional.of("shop-k3f9a")));
    }

    @Test
    void theAddressComesFromTheFlagElseTheEnvironmentElseTheDefault() throws Exception {
        Map<String, String> env = Map.of("TIDEMARK_MASTER_ADDR", "tidemark.internal:8080");

        assertThat(address(List.of("query-status"), env)).isEqualTo("http://tidemark.internal:8080");
        assertThat(address(List.of("--master-addr", "127.0.0.1:9999", "query-status"), env))
                .isEqualTo("http://127.0.0.1:9999");
        assertThat(address(List.of("query-status"), Map.of())).isEqualTo("http://127.0.0.1:8080");
    }

    @Test
    void aMisspeltVerbOrFlagIsRefusedWithTheNearestValidOneAndTheUsage() {
        Run verb = Run.of("improt", "--config", "a.toml");
        Run flag = Run.of("import", "--confg", "a.toml");

        assertThat(verb.exit()).isEqualTo(2);
        assertThat(verb.err()).startsWith("tidemark: unknown command 'improt': did you mean 'import'?")
                .contains("usage: tidemark [--master-addr HOST:PORT] import --config FILE");
        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).startsWith("tidemark: unknown flag --confg: did you mean --config?");
    }

    @Test
    void incompleteOrContradictoryCommandsSayWhatIsMissing() {
        assertThat(Run.of("import")).satisfies(r -> {
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.err()).startsWith("tidemark: import needs the TiDB Lightning file: tidemark import --config FILE");
        });
        assertThat(Run.of("import", "--config").err()).startsWith("tidemark: --config needs a value: --config FILE");
        assertThat(Run.of("import", "a.toml").err())
                .startsWith("tidemark: import takes no argument 'a.toml': name the file with --config a.toml");
        assertThat(Run.of("import", "--config", "a", "--check", "--detach").err())
                .startsWith("tidemark: --check creates nothing, so there is nothing to --detach from");
        assertThat(Run.of("query-status", "--detach").err())
                .startsWith("tidemark: --detach is not an option of query-status; import takes it");
        assertThat(Run.of("query-status", "a", "b").exit()).isEqualTo(2);
        assertThat(Run.of().err()).startsWith("tidemark: no command given");
    }

    @Test
    void anAddressThatIsNotHostAndPortNamesWhereItCameFrom() {
        Run flag = Run.of("--master-addr", "localhost", "query-status");
        Run env = Run.of(Map.of("TIDEMARK_MASTER_ADDR", "http://h:8080/api"), "query-status");

        assertThat(flag.exit()).isEqualTo(2);
        assertThat(flag.err()).startsWith("tidemark: --master-addr 'localhost' is not HOST:PORT");
        assertThat(env.exit()).isEqualTo(2);
        assertThat(env.err()).startsWith("tidemark: TIDEMARK_MASTER_ADDR 'http://h:8080/api' is not HOST:PORT");
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        for (String help : new String[] {"--help", "-h", "help"}) {
            Run r = Run.of(help);
            assertThat(r.exit()).as(help).isZero();
            assertThat(r.out()).as(help).startsWith("usage: tidemark").contains("exit status: 0 done");
        }
    }

    private static String address(List<String> args, Map<String, String> env) throws UsageError {
        return ((Invocation.QueryStatus) Arguments.parse(args, env)).addr().base().toString();
    }
}
