package io.tidemark.coordinator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.coordinator.config.dm.DmConfigException;
import io.tidemark.coordinator.config.lightning.LightningConfigException;
import io.tidemark.coordinator.config.lightning.Position;
import io.tidemark.coordinator.config.lightning.Problem;
import io.tidemark.coordinator.precheck.PrechecksFailed;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.PrecheckReport;

import java.util.List;

/**
 * Every error answer of the API: the catalog's stable code, what went wrong, and what to do. A refusal by the
 * prechecks also lists each failing item on its own, the warnings, and the checks not run because of a failure; a
 * refused TiDB Lightning file lists each of its problems with line, key, cause and fix.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ApiError(String code, String message, String remedy, List<CheckView> failures, List<CheckView> warnings,
                List<String> notChecked, List<ProblemView> problems) {
    static ApiError of(TidemarkException e) {
        return new ApiError(e.error().code(), e.detail(), e.error().remedy(), null, null, null, null);
    }

    static ApiError of(FieldException e) {
        return new ApiError(e.error().error().code(), e.field() + ": " + e.error().detail(),
                e.error().error().remedy(), null, null, null, null);
    }

    static ApiError of(LightningConfigException e) {
        return new ApiError(e.error().code(), e.detail(), e.error().remedy(), null, null, null,
                e.problems().stream().map(ProblemView::of).toList());
    }

    static ApiError of(DmConfigException e) {
        return new ApiError(e.error().code(), e.detail(), e.error().remedy(), null, null, null,
                e.problems().stream().map(ProblemView::of).toList());
    }

    /**
     * One problem of a TiDB Lightning file: where it is (line and column from 1; null when the key is not in the
     * file), the key's TOML path, its value as written (never a secret), what is wrong and what to write instead.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProblemView(Integer line, Integer column, String key, String value, String cause, String fix) {
        static ProblemView of(Problem p) {
            Position at = p.position();
            return new ProblemView(at.known() ? at.line() : null, at.known() && at.column() > 0 ? at.column() : null,
                    p.key(), p.value(), p.what(), p.fix());
        }
    }

    /** a request the API does not serve (a path, a method, a Content-Type), saying exactly what was wrong */
    static ApiError notSupported(String message) {
        return of(new TidemarkException(ErrorCode.REQUEST_NOT_SUPPORTED, message));
    }

    static ApiError of(PrechecksFailed e) {
        PrecheckReport report = e.report();
        return new ApiError(e.error().error().code(), e.error().detail(), e.error().error().remedy(),
                report.failures().stream().map(CheckView::of).toList(),
                report.warnings().stream().map(CheckView::of).toList(),
                report.skipped().stream().map(CheckResult::name).toList(), null);
    }
}
