package io.tidemark.coordinator.access;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every {@code /api/**} request (and {@code /actuator/prometheus} when protected) must carry
 * {@code Authorization: Bearer TOKEN} with a valid token; anything else is answered {@code 401} in the API's error
 * shape ({@code code}, {@code message}, {@code remedy}) before any controller runs. Health and its probes stay open.
 * The token is never logged or echoed.
 */
final class TokenFilter extends OncePerRequestFilter {
    private static final String BEARER = "Bearer ";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiTokens tokens;
    private final boolean protectMetrics;

    TokenFilter(ApiTokens tokens, boolean protectMetrics) {
        this.tokens = tokens;
        this.protectMetrics = protectMetrics;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals("/api") || path.startsWith("/api/")
                || protectMetrics && path.startsWith("/actuator/prometheus"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String problem;
        if (header == null || header.isBlank()) {
            problem = "the request has no Authorization header";
        } else if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            problem = "the Authorization header is not of the Bearer scheme";
        } else if (!tokens.accepts(header.substring(BEARER.length()))) {
            problem = "the bearer token is not one of the coordinator's";
        } else {
            chain.doFilter(request, response);
            return;
        }
        TidemarkException refused = new TidemarkException(ErrorCode.API_TOKEN_REFUSED, problem);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", refused.error().code());
        body.put("message", refused.detail());
        body.put("remedy", refused.error().remedy());
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tidemark\"");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
