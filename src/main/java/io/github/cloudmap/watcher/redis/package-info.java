/**
 * One GetOperation budget for a fleet of processes, kept in Redis: {@link
 * io.github.cloudmap.watcher.redis.RedisBudget} (a {@link io.github.cloudmap.watcher.RequestBudget}
 * on a token bucket in Redis, on Redis's own clock, over Lettuce, adaptive for the whole fleet, falling back to a local
 * budget when Redis fails). Everything else in this package is package-private implementation.
 *
 * <p>Needs {@code io.lettuce:lettuce-core}, an optional dependency of this library: a user who
 * does not share a budget through Redis does not inherit it. See {@code docs/fleet.md}.
 */
package io.github.cloudmap.watcher.redis;
