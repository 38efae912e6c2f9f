package io.github.cloudmap.watcher.emulator;

import java.util.Map;

/** One registered instance; immutable (re-registering replaces the entry). */
record InstanceEntry(long seq, String id, String creatorRequestId, Map<String, String> attributes) {
}
