package io.tidemark.testkit;

/**
 * The one way a test stops what it started: every resource is closed, in the order given (the service before the
 * broker and databases it uses), even when one fails to close or was never started (null), so a failed start or a
 * failed close never leaves a process of the test-kit running for the next test class.
 */
public final class Closing {
    private Closing() {
    }

    public static void quietly(AutoCloseable... resources) {
        for (AutoCloseable c : resources) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }
}
