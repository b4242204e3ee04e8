package io.tidemark.coordinator.precheck;

/**
 * Whether the source and the target are one server, and what showed it.
 *
 * @param evidence what was seen, for the check's message
 */
record ServerIdentity(Verdict verdict, String evidence) {
    enum Verdict {
        /** the token written on the target was read through the source, or both report the same host and port */
        SAME,
        /** the source does not hold the token the target does */
        DIFFERENT,
        /** the source may not read the meta schema and the two report different hosts: likely apart, not proven */
        UNKNOWN
    }
}
