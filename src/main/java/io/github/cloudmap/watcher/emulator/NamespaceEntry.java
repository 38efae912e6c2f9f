package io.github.cloudmap.watcher.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

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
    /** Tags by key, in the order they were first set. */
    final Map<String, String> tags = new LinkedHashMap<>();

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
