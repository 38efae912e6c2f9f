package io.github.cloudmap.watcher.internal;

import io.github.resilience4j.retry.Retry;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Predicate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Bridges a Resilience4j {@link Retry} to Reactor's {@code retryWhen}: Resilience4j decides
 * whether and after how long to retry (attempts, interval function, its own exception
 * predicate); Reactor waits on the watcher's {@link Scheduler}, so the waits run in virtual
 * time under {@code StepVerifier.withVirtualTime}. (Resilience4j's own Reactor operator waits
 * on a scheduler of its choosing, which a watcher configured with its own scheduler would
 * not control.)
 *
 * <p>When a failure is not eligible, or Resilience4j gives up, the original failure is
 * propagated as it is, never wrapped. Not part of the public API.
 */
final class ResilienceRetry {

    private ResilienceRetry() {}

    /**
     * {@code source} retried under {@code retry}: a fresh Resilience4j context per subscription,
     * told of the outcome ({@code onComplete} on success), so the Retry's metrics and events are right.
     *
     * @param source the call; must make a new attempt per subscription
     * @param retry the policy
     * @param scheduler where the waits between attempts run
     * @param eligible which failures may be retried at all (the policy's own predicate also applies)
     * @param onRetry told of each failure that is about to be retried
     */
    static <T> Mono<T> retry(Mono<T> source, Retry retry, Scheduler scheduler,
                             Predicate<Throwable> eligible, Consumer<Throwable> onRetry) {
        return Mono.defer(() -> {
            Retry.AsyncContext<Object> context = retry.asyncContext();
            return source
                    .retryWhen(reactor.util.retry.Retry.from(signals -> signals.concatMap(signal -> {
                        Throwable failure = signal.failure();
                        if (!eligible.test(failure)) {
                            return Mono.error(failure);
                        }
                        long waitMillis = context.onError(failure);
                        if (waitMillis < 0) {
                            return Mono.error(failure);
                        }
                        onRetry.accept(failure);
                        return Mono.delay(Duration.ofMillis(waitMillis), scheduler);
                    })))
                    .doOnSuccess(value -> context.onComplete());
        });
    }
}
