package io.tidemark.coordinator.leadership;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;

/** {@code GET /api/v1/coordinator}: this instance's role in the election, and where the active coordinator is. */
@RestController
class CoordinatorController {
    private final Leadership leadership;

    CoordinatorController(Leadership leadership) {
        this.leadership = leadership;
    }

    /**
     * @param role             {@code active} or {@code standby}
     * @param instance         this instance's advertised URL
     * @param highAvailability whether it takes part in an election ({@code tidemark.coordinator.ha.enabled})
     * @param epoch            the election generation of the active coordinator as this instance knows it; null when
     *                         none is known
     * @param activeUrl        the active coordinator's URL; null when none is known
     * @param since            when this instance took its present role
     */
    record View(String role, String instance, boolean highAvailability, Integer epoch, String activeUrl,
                Instant since) {
    }

    @GetMapping("/api/v1/coordinator")
    View coordinator() {
        Leadership.Role role = leadership.role();
        CoordinatorLeader leader = leadership.leader();
        return new View(role instanceof Leadership.Role.Active ? "active" : "standby", leadership.instance(),
                leadership.highAvailability(), leader == null ? null : leader.epoch(),
                leader == null ? null : leader.url(), role.since());
    }
}
