package io.tidemark.deploy.cli;

/**
 * The coordinator did not answer at the address given (refused, unknown host, timed out, connection dropped), or what
 * answered there is not a Tidemark coordinator.
 */
final class Unreachable extends Exception {
    private final MasterAddr addr;

    Unreachable(MasterAddr addr, String cause) {
        super(cause);
        this.addr = addr;
    }

    /** one line: the address, the cause and the fix */
    String line() {
        return "cannot reach the Tidemark coordinator at " + addr.shown() + " (" + getMessage() + "): is the platform"
                + " running there? start it (java -jar deploy/target/tidemark-standalone.jar), or give its REST address"
                + " with --master-addr HOST:PORT or " + MasterAddr.ENV;
    }
}
