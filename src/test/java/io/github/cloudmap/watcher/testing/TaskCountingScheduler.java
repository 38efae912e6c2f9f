package io.github.cloudmap.watcher.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A scheduler that runs everything on another (a test's virtual clock) and keeps count of what
 * is still outstanding on it: tasks scheduled and neither run nor disposed, and workers created
 * and not disposed. A watcher given this scheduler that leaves a timer or a delivery worker
 * behind shows it here. Periodic tasks are not supported (the watcher never uses them).
 *
 * <p>Thread-safe.
 */
public final class TaskCountingScheduler implements Scheduler {

    private final Scheduler delegate;
    private final Set<Object> outstandingTasks = ConcurrentHashMap.newKeySet();
    private final Set<Object> openWorkers = ConcurrentHashMap.newKeySet();

    public TaskCountingScheduler(Scheduler delegate) {
        this.delegate = delegate;
    }

    /** Tasks scheduled and neither run nor disposed yet. */
    public int outstandingTasks() {
        return outstandingTasks.size();
    }

    /** Workers created and not disposed yet. */
    public int openWorkers() {
        return openWorkers.size();
    }

    @Override
    public Disposable schedule(Runnable task) {
        Tracked tracked = new Tracked(task);
        return tracked.attach(delegate.schedule(tracked));
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        Tracked tracked = new Tracked(task);
        return tracked.attach(delegate.schedule(tracked, delay, unit));
    }

    @Override
    public long now(TimeUnit unit) {
        return delegate.now(unit);
    }

    @Override
    public Worker createWorker() {
        Worker worker = delegate.createWorker();
        Object token = new Object();
        openWorkers.add(token);
        return new Worker() {
            @Override
            public Disposable schedule(Runnable task) {
                Tracked tracked = new Tracked(task);
                return tracked.attach(worker.schedule(tracked));
            }

            @Override
            public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                Tracked tracked = new Tracked(task);
                return tracked.attach(worker.schedule(tracked, delay, unit));
            }

            @Override
            public void dispose() {
                openWorkers.remove(token);
                worker.dispose();
            }

            @Override
            public boolean isDisposed() {
                return worker.isDisposed();
            }
        };
    }

    /** One task: outstanding from scheduling until it has run or was disposed. */
    private final class Tracked implements Runnable, Disposable {
        private final Runnable task;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile Disposable scheduled;

        Tracked(Runnable task) {
            this.task = task;
            outstandingTasks.add(this);
        }

        Disposable attach(Disposable scheduled) {
            this.scheduled = scheduled;
            return this;
        }

        @Override
        public void run() {
            finish();
            task.run();
        }

        @Override
        public void dispose() {
            finish();
            Disposable current = scheduled;
            if (current != null) {
                current.dispose();
            }
        }

        @Override
        public boolean isDisposed() {
            return done.get();
        }

        private void finish() {
            if (done.compareAndSet(false, true)) {
                outstandingTasks.remove(this);
            }
        }
    }
}
