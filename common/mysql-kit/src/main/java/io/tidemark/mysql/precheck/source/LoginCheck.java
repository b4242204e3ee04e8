package io.tidemark.mysql.precheck.source;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;

/** The source session opened and answered: the gate every other source check needs. */
final class LoginCheck implements Precheck<SourceFacts> {
    @Override
    public String name() {
        return SourceChecks.LOGIN;
    }

    @Override
    public CheckResult check(SourceFacts f) {
        if (f.loggedIn()) {
            return CheckResult.pass(name(), "logged in to " + f.endpoint() + " (" + f.flavor() + ")");
        }
        return CheckResult.fail(name(), f.loginError(), instruction(f.loginError()));
    }

    /** the flavor is unknown before the login, so the Aurora advice is given alongside */
    static String instruction(TidemarkException e) {
        return switch (e.error()) {
            case SOURCE_ACCESS_DENIED -> "check the source user and password in the migration spec and that the"
                    + " account may log in from Tidemark's hosts ('user'@'%'); on Aurora, use the cluster's master user"
                    + " or a user created on the writer";
            case SOURCE_UNREACHABLE -> "check that the source runs and that host and port are right, and let"
                    + " Tidemark's hosts through the firewall; on Aurora, use the cluster (writer) endpoint and allow"
                    + " Tidemark in the cluster's security group";
            case SOURCE_HOST_UNKNOWN -> "correct the source host in the migration spec; an Aurora cluster endpoint"
                    + " looks like <cluster>.cluster-<id>.<region>.rds.amazonaws.com and must resolve from Tidemark's"
                    + " hosts";
            default -> e.error().remedy();
        };
    }
}
