package io.tidemark.dm.task;

import io.tidemark.dm.relay.RelaySupervisor;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** /actuator/info lists the replication tasks and relays this worker runs and their observed state. */
@Component
class TasksInfo implements InfoContributor {
    private final TaskSupervisor supervisor;
    private final RelaySupervisor relays;

    TasksInfo(TaskSupervisor supervisor, RelaySupervisor relays) {
        this.supervisor = supervisor;
        this.relays = relays;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> tasks = new LinkedHashMap<>();
        supervisor.states().forEach((k, s) -> tasks.put(k, Map.of("state", s.code(), "detail", s.toString())));
        builder.withDetail("replicationTasks", tasks);
        builder.withDetail("relays", relays.states());
    }
}
