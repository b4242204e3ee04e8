package io.tidemark.deploy.cli;

/** A command line the client cannot run: the message names the argument and what to write instead. */
final class UsageError extends Exception {
    UsageError(String message) {
        super(message);
    }
}
