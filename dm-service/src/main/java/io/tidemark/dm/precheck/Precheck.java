package io.tidemark.dm.precheck;

/** One check of the source before streaming, as DM's checker items: it only reads, never writes. */
interface Precheck {
    String name();

    CheckResult check(SourceFacts facts);
}
