package io.tidemark.dm;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One test class's world for replication: a source and a target MariaDB, a broker with a task publisher and status
 * collector ({@link DmHarness}), and the service's own context on it. Closed in the reverse order; what started
 * before a failure to start is closed too.
 */
record DmRig(LocalMariaDb source, LocalMariaDb target, DmHarness harness, ConfigurableApplicationContext service)
        implements AutoCloseable {

    /**
     * @param name              names the two servers' directories and logs
     * @param serviceProperties the service's own settings, e.g. {@code tidemark.dm.batch-max-transactions=1}
     */
    static DmRig start(String name, String... serviceProperties) {
        LocalMariaDb source = null;
        LocalMariaDb target = null;
        DmHarness harness = null;
        try {
            source = TestDatabases.startSource(name);
            target = TestDatabases.startTarget(name);
            harness = new DmHarness();
            return new DmRig(source, target, harness, harness.startService(serviceProperties));
        } catch (RuntimeException e) {
            new DmRig(source, target, harness, null).close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
        if (harness != null) {
            harness.close();
        }
        if (target != null) {
            target.close();
        }
        if (source != null) {
            source.close();
        }
    }
}
