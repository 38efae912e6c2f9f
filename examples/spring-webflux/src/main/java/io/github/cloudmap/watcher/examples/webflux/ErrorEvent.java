package io.github.cloudmap.watcher.examples.webflux;

/**
 * The data of the {@code error} event that ends a stream when watching failed (as opposed to an
 * operation that FAILed, which ends with a {@code failed} event).
 *
 * @param error {@code timeout}, {@code not-found} or {@code request-failed}
 * @param message what went wrong and what to do
 * @param lastStatus the last status seen before the error, or null if none was
 */
public record ErrorEvent(String error, String message, OperationEvent lastStatus) {
}
