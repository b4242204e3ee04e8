package io.tidemark.snapshot.dump;

import io.tidemark.testkit.Closing;
import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real MariaDB source and target, started once for a test class (named after {@code name}, so its processes are
 * told apart) and stopped after it: the fixture of the dump tests. Registered as a static {@code @RegisterExtension}.
 */
final class SourceAndTarget implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private LocalMariaDb source;
    private LocalMariaDb target;

    SourceAndTarget(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        source = TestDatabases.startSource(name);
        target = TestDatabases.startTarget(name);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Closing.quietly(source, target);
    }

    LocalMariaDb source() {
        return source;
    }

    LocalMariaDb target() {
        return target;
    }
}
