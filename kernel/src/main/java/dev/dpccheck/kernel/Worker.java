package dev.dpccheck.kernel;

import java.util.concurrent.locks.LockSupport;

/**
 * A platform thread that carries contexts one after another. Workers are pooled per scheduler so
 * that a DPC or ISR activation does not cost a thread start.
 */
final class Worker implements Runnable {
    private final Scheduler scheduler;
    final Thread thread;
    private volatile KContext assigned;

    Worker(Scheduler scheduler, int number) {
        this.scheduler = scheduler;
        this.thread = new Thread(this, "dpccheck-cpu-worker-" + number);
        this.thread.setDaemon(true);
    }

    void assign(KContext context) {
        context.worker = this;
        assigned = context;
        if (thread.getState() == Thread.State.NEW) {
            thread.start();
        } else {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void run() {
        while (true) {
            KContext context;
            while ((context = assigned) == null) {
                if (scheduler.isShutDown()) {
                    return;
                }
                LockSupport.park(this);
            }
            assigned = null;
            scheduler.runContext(context);
            context.worker = null;
            scheduler.returnWorker(this);
        }
    }
}
