package io.tidemark.deploy.cli;

/** The client's exit statuses, one meaning each, so scripts can tell a failed import from a typo or a down platform. */
enum Exit {
    /** done: the import completed (and verified), or what was asked was shown */
    OK(0),
    /** the import failed on the platform, or the coordinator could not serve the request */
    FAILED(1),
    /** nothing was started: a usage error, a file that cannot be read, or a request the coordinator refused */
    REFUSED(2),
    /** the coordinator cannot be reached at the address given */
    UNREACHABLE(3);

    private final int status;

    Exit(int status) {
        this.status = status;
    }

    int status() {
        return status;
    }
}
