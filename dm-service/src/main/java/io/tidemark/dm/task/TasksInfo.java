package io.tidemark.dm.task;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.stereotype.Component;

import java.util.LinkedHashMap;
import java.util.Map;

/** /actuator/info lists the replication tasks this worker runs and their observed state. */
@Component
class TasksInfo implements InfoContributor {
    private final TaskSupervisor supervisor;

    TasksInfo(TaskSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    @Override
    public void contribute(Info.Builder builder) {
        Map<String, Object> tasks = new LinkedHashMap<>();
        supervisor.states().forEach((k, s) -> tasks.put(k, Map.of("state", s.code(), "detail", s.toString())));
        builder.withDetail("replicationTasks", tasks);
    }
}
