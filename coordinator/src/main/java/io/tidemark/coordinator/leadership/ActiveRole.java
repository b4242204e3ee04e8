package io.tidemark.coordinator.leadership;

/**
 * What a coordinator does when it becomes the active one and when it stops being it: the orchestration's start-up.
 * Both are called by {@link Leadership} from one thread, never at the same time.
 */
public interface ActiveRole {
    /** rebuild the state from Kafka, resume every migration, consume status events */
    void activate();

    /** stop consuming status events: the coordinator drives nothing more */
    void deactivate();
}
