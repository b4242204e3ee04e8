package io.tidemark.mysql.precheck.source;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.flavor.Flavor;
import io.tidemark.mysql.grants.Grants;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * REPLICATION SLAVE streams the binlog; the flavor's monitor privilege (REPLICATION CLIENT, or BINLOG MONITOR on
 * MariaDB 10.5 and later) reads positions and lists binary logs. Read from SHOW GRANTS ON *.*; ALL PRIVILEGES covers
 * both, and on MySQL and Aurora so does SUPER for the monitor part.
 */
final class ReplicationPrivilegesCheck implements Precheck<SourceFacts> {
    @Override
    public String name() {
        return SourceChecks.REPLICATION_PRIVILEGES;
    }

    @Override
    public Set<String> needs() {
        return Set.of(SourceChecks.LOGIN);
    }

    @Override
    public CheckResult check(SourceFacts f) {
        Flavor flavor = f.flavor();
        String monitor = flavor.binlogMonitorPrivilege();
        if (!f.grants().known()) {
            return CheckResult.warn(name(), "cannot read the account's grants: " + f.grants().error().detail(),
                    "make sure " + f.account() + " holds REPLICATION SLAVE and " + monitor + " ON *.*");
        }
        Set<String> granted = Grants.parse(f.grants().value()).global();
        if (granted.contains(Grants.ALL)) {
            return CheckResult.pass(name(), "ALL PRIVILEGES ON *.* is granted");
        }
        boolean slave = granted.contains("REPLICATION SLAVE") || granted.contains("REPLICATION REPLICA");
        boolean canMonitor = granted.contains(monitor) || granted.contains("REPLICATION CLIENT")
                || granted.contains("BINLOG MONITOR") || (flavor.isMySql() && granted.contains("SUPER"));
        List<String> missing = new ArrayList<>();
        if (!slave) {
            missing.add("REPLICATION SLAVE");
        }
        if (!canMonitor) {
            missing.add(monitor);
        }
        if (missing.isEmpty()) {
            return CheckResult.pass(name(), "REPLICATION SLAVE and " + monitor + " are granted ON *.*");
        }
        String list = String.join(", ", missing);
        return CheckResult.fail(name(), new TidemarkException(ErrorCode.SOURCE_PRIVILEGE_MISSING, f.endpoint(),
                        list + (missing.size() == 1 ? " is" : " are") + " not granted ON *.*"),
                "GRANT " + list + " ON *.* TO " + f.account()
                        + (flavor.isAurora() ? " as the cluster's master user" : ""));
    }
}
