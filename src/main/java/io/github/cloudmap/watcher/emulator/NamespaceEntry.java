package io.github.cloudmap.watcher.emulator;

import java.time.Instant;

/** One namespace in {@link EmulatorState}; mutable fields change only under the state lock. */
final class NamespaceEntry {
    final long seq;
    final String id;
    final String arn;
    final String name;
    final String type;
    final Instant createDate;
    final String creatorRequestId;
    final String hostedZoneId;
    String description;
    Long soaTtl;

    NamespaceEntry(long seq, String id, String arn, String name, String type, Instant createDate,
                   String creatorRequestId, String hostedZoneId, String description, Long soaTtl) {
        this.seq = seq;
        this.id = id;
        this.arn = arn;
        this.name = name;
        this.type = type;
        this.createDate = createDate;
        this.creatorRequestId = creatorRequestId;
        this.hostedZoneId = hostedZoneId;
        this.description = description;
        this.soaTtl = soaTtl;
    }

    boolean isDns() {
        return !"HTTP".equals(type);
    }
}
