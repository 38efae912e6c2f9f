/**
 * One GetOperation budget for a fleet of processes, kept in Redis: {@link
 * io.github.cloudmap.watcher.redis.RedisBudget} (a {@link io.github.cloudmap.watcher.RequestBudget}
 * on Bucket4j's Redis bucket over Lettuce, adaptive for the whole fleet, falling back to a local
 * budget when Redis fails). Everything else in this package is package-private implementation.
 *
 * <p>Needs {@code com.bucket4j:bucket4j_jdk17-lettuce} and {@code io.lettuce:lettuce-core},
 * optional dependencies of this library: a user who does not share a budget through Redis
 * inherits neither. See {@code docs/fleet.md}.
 */
package io.github.cloudmap.watcher.redis;
