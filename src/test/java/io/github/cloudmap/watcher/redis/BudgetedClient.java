package io.github.cloudmap.watcher.redis;

import io.github.cloudmap.watcher.RequestBudget;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import reactor.core.scheduler.Schedulers;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryAsyncClient;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationRequest;
import software.amazon.awssdk.services.servicediscovery.model.GetOperationResponse;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceRequest;
import software.amazon.awssdk.services.servicediscovery.model.RegisterInstanceResponse;

/**
 * Draws every GetOperation of a real client from a {@link RequestBudget} and reports each
 * outcome to it: how the fleet test runs a budget under a watcher built without one.
 */
final class BudgetedClient implements ServiceDiscoveryAsyncClient {

    private final ServiceDiscoveryAsyncClient delegate;
    private final RequestBudget budget;

    BudgetedClient(ServiceDiscoveryAsyncClient delegate, RequestBudget budget) {
        this.delegate = delegate;
        this.budget = budget;
    }

    @Override
    public CompletableFuture<GetOperationResponse> getOperation(GetOperationRequest request) {
        return budget.acquire(Schedulers.parallel()).toFuture().thenCompose(permit -> delegate.getOperation(request)
                .whenComplete((response, error) -> {
                    Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                    if (cause instanceof AwsServiceException aws && aws.isThrottlingException()) {
                        permit.onThrottled();
                    } else {
                        permit.onAnswered();
                    }
                }));
    }

    @Override
    public CompletableFuture<GetOperationResponse> getOperation(Consumer<GetOperationRequest.Builder> request) {
        return getOperation(GetOperationRequest.builder().applyMutation(request).build());
    }

    @Override
    public CompletableFuture<RegisterInstanceResponse> registerInstance(RegisterInstanceRequest request) {
        return delegate.registerInstance(request);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
