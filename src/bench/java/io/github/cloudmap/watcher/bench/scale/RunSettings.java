package io.github.cloudmap.watcher.bench.scale;

import java.net.URI;
import java.time.Duration;

/**
 * What a contender may know about one run: where the emulator is, and (for the hand-tuned
 * contenders only) the true limits.
 *
 * @param endpoint       the emulator's base URI
 * @param getLimitRps    the GetOperation limit the emulator enforces
 * @param listLimitRps   the ListOperations limit the emulator enforces (assumed, not published)
 * @param bound          how long each contender waits for one operation at most
 * @param processes      over how many JVMs {@code watcher-split} and {@code watcher-fleet} split the operations
 */
record RunSettings(URI endpoint, double getLimitRps, double listLimitRps, Duration bound, int processes) { }
