package io.tidemark.deploy.cli;

import java.nio.file.Path;
import java.util.Optional;

/** What the command line asks for, parsed and checked by {@link Arguments}. */
sealed interface Invocation {

    /** {@code --help}, {@code -h} or {@code help}: the usage text, exit 0 */
    record Help() implements Invocation {
    }

    /**
     * {@code import --config FILE [--detach] [--check]}
     *
     * @param config the TiDB Lightning file, sent as it is
     * @param detach return once the import is accepted
     * @param check  only check the file, its storage and its target: nothing is created
     */
    record Import(MasterAddr addr, Path config, boolean detach, boolean check) implements Invocation {
    }

    /** {@code query-status [MIGRATION-ID]}: every migration, or one in detail */
    record QueryStatus(MasterAddr addr, Optional<String> id) implements Invocation {
    }
}
