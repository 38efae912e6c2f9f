package io.github.cloudmap.watcher.bench.scale;

/**
 * One operation the benchmark created in the emulator: its ID, its namespace, and when the
 * emulator will mark it finished (epoch ms; the same machine clock the contender reads).
 */
record PendingOperation(String id, String namespaceId, long finishAtMillis) { }
