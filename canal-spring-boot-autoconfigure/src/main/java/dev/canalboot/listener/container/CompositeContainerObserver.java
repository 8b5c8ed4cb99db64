package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeBatch;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.util.ArrayList;
import java.util.List;

/**
 * Passes every container callback to several observers in order. An observer that throws (which it
 * must not) does not keep the others from being called; the first error is rethrown at the end so the
 * container logs it.
 */
public final class CompositeContainerObserver implements ContainerObserver {

    private final ContainerObserver[] observers;

    private CompositeContainerObserver(ContainerObserver[] observers) {
        this.observers = observers;
    }

    /** One observer for {@code observers}, skipping no-ops; a single one is returned as it is. */
    public static ContainerObserver of(List<? extends ContainerObserver> observers) {
        List<ContainerObserver> flat = new ArrayList<>();
        for (ContainerObserver observer : observers) {
            if (observer instanceof CompositeContainerObserver composite) {
                flat.addAll(List.of(composite.observers));
            } else if (observer != null && observer != ContainerObserver.NOOP && !flat.contains(observer)) {
                flat.add(observer);
            }
        }
        return switch (flat.size()) {
            case 0 -> ContainerObserver.NOOP;
            case 1 -> flat.get(0);
            default -> new CompositeContainerObserver(flat.toArray(ContainerObserver[]::new));
        };
    }

    @Override
    public void batchStarted(String source, long batchId, int size) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.batchStarted(source, batchId, size);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    @Override
    public void batchCompleted(String source, long batchId, int size, long durationNanos, boolean acknowledged) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.batchCompleted(source, batchId, size, durationNanos, acknowledged);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    @Override
    public void batchAcknowledged(String source, ChangeBatch batch) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.batchAcknowledged(source, batch);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    @Override
    public ListenerScope listenerStarting(String source, ListenerEndpoint endpoint, ChangeEvent event,
                                          List<RowChange> rows) {
        ListenerScope only = ListenerScope.NONE;
        List<ListenerScope> scopes = null;
        for (ContainerObserver observer : observers) {
            ListenerScope scope;
            try {
                scope = observer.listenerStarting(source, endpoint, event, rows);
            } catch (RuntimeException e) {
                // Close what the observers before it opened, then let the container see the error.
                RuntimeException error = e;
                if (scopes != null) {
                    closeAll(scopes, error);
                } else if (only != ListenerScope.NONE) {
                    only.close(error);
                }
                throw error;
            }
            if (scope == null || scope == ListenerScope.NONE) {
                continue;
            }
            if (only == ListenerScope.NONE) {
                only = scope;
            } else {
                if (scopes == null) {
                    scopes = new ArrayList<>();
                    scopes.add(only);
                }
                scopes.add(scope);
            }
        }
        if (scopes == null) {
            return only;
        }
        List<ListenerScope> opened = scopes;
        return error -> closeAll(opened, error);
    }

    /** In reverse order of opening, like nested scopes. */
    private static void closeAll(List<ListenerScope> scopes, Throwable error) {
        for (int i = scopes.size() - 1; i >= 0; i--) {
            scopes.get(i).close(error);
        }
    }

    @Override
    public void listenerInvoked(String source, String endpointId, int events, long durationNanos) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.listenerInvoked(source, endpointId, events, durationNanos);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    @Override
    public void listenerFailed(String source, String endpointId, int attempt, Throwable error) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.listenerFailed(source, endpointId, attempt, error);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    @Override
    public void rowsWaited(String source, int rows, long waitNanos) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.rowsWaited(source, rows, waitNanos);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    @Override
    public void retryScheduled(String source, String endpointId, int nextAttempt, long delayMillis) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.retryScheduled(source, endpointId, nextAttempt, delayMillis);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    @Override
    public void containerFailed(String source, Throwable error) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.containerFailed(source, error);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    @Override
    public void stateChanged(String source, ContainerState from, ContainerState to) {
        RuntimeException first = null;
        for (ContainerObserver observer : observers) {
            try {
                observer.stateChanged(source, from, to);
            } catch (RuntimeException e) {
                first = keep(first, e);
            }
        }
        rethrow(first);
    }

    private static RuntimeException keep(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private static void rethrow(RuntimeException first) {
        if (first != null) {
            throw first;
        }
    }
}
