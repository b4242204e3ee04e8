package io.tidemark.coordinator.leadership;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes reach only the active coordinator: on a standby every {@code /api/**} request but a read ({@code GET},
 * {@code HEAD}, {@code OPTIONS}) or a pure check that stores nothing ({@code POST .../check}, {@code POST
 * /api/v1/encrypt}) is answered {@code 503} with {@link ErrorCode#COORDINATOR_STANDBY}, naming the active instance
 * (also as {@code activeUrl}) so a client can send it there. It runs after the token check: an unauthorised client
 * learns nothing of the topology.
 */
final class StandbyGuard extends OncePerRequestFilter {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private final Leadership leadership;

    StandbyGuard(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/api/") || READS.contains(request.getMethod()) || path.endsWith("/check")
                || path.equals("/api/v1/encrypt");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (leadership.active()) {
            chain.doFilter(request, response);
            return;
        }
        CoordinatorLeader leader = leadership.leader();
        TidemarkException refused = new TidemarkException(ErrorCode.COORDINATOR_STANDBY, leadership.instance(),
                leader == null ? "no active coordinator is known yet (an election is under way): try again in a few"
                        + " seconds" : "the active coordinator is " + leader.url() + " (epoch " + leader.epoch() + ")");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", refused.error().code());
        body.put("message", refused.detail());
        body.put("remedy", refused.error().remedy());
        body.put("activeUrl", leader == null ? null : leader.url());
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Retry-After", "2");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
