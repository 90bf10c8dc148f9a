package dev.dpccheck.kernel;

import dev.dpccheck.wdm.Wdm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Runs the contexts of one schedule one at a time, handing a baton between their threads. At every
 * scheduling point (a {@code Wdm} call, an access to shared memory) it builds the labelled options
 * ({@link Option}: go on with what runs on a processor, drain its DPC queue, deliver an interrupt,
 * dispatch or preempt a thread, let the first timed event happen), asks the {@link
 * SchedulingStrategy} to choose one, and records the choice. Time is virtual: a microsecond per
 * step of code on its processor, the machine's clock that of the slowest processor with work (see
 * {@link #advance}), and when nothing can run, a jump to the next timed event. A device event that is
 * due, or that may come before its time, is an option at every point like the others, so an
 * interrupt can land between any two points, however few steps the code between them takes; a
 * timer that is due, likewise.
 */
final class Scheduler {
    private final Kernel kernel;
    private final SchedulingStrategy strategy;
    final List<Processor> cpus = new ArrayList<>();
    private final List<KContext> threads = new ArrayList<>();
    private final ConcurrentLinkedDeque<Worker> freeWorkers = new ConcurrentLinkedDeque<>();
    private final List<Worker> allWorkers = new ArrayList<>();
    private final AtomicInteger liveContexts = new AtomicInteger();
    private final long maxSteps;
    /**
     * Virtual time without progress (no IRP completed, no thread finished) after which the
     * schedule is declared stalled: long against the device latencies and the one-second IoTimer
     * ticks that recovering a lost interrupt takes (two or three), short against the step bound.
     */
    static final long STALL_MICROS = 10_000_000;
    /** The virtual time of the last progress. */
    long progressAt;
    private volatile KContext current;
    private volatile boolean aborting;
    private volatile boolean finished;
    private volatile boolean shutDown;
    private Thread controller;
    private int nextContextId;
    long now;
    long steps;
    final ChoiceLog choices = new ChoiceLog();

    Scheduler(Kernel kernel, SchedulingStrategy strategy, int cpuCount, long maxSteps) {
        this.kernel = kernel;
        this.strategy = strategy;
        this.maxSteps = maxSteps;
        for (int i = 0; i < cpuCount; i++) {
            cpus.add(new Processor(i));
        }
    }

    KContext current() {
        return current;
    }

    boolean aborting() {
        return aborting;
    }

    /** The contexts whose bodies have started and not ended. */
    int liveContexts() {
        return liveContexts.get();
    }

    boolean isShutDown() {
        return shutDown;
    }

    /** Creates a thread context, ready to be dispatched on an idle processor. */
    KContext newThread(String name, Runnable body) {
        KContext t = new KContext(nextContextId++, KContext.Kind.THREAD, name, name, new Pending(kernel), body);
        // a thread's run follows its creation
        KContext creator = current;
        kernel.hb.release(creator, t);
        kernel.hb.start(t, kernel.hb.carried(t));
        t.savedIrql = Wdm.PASSIVE_LEVEL;
        threads.add(t);
        return t;
    }

    KContext newActivation(KContext.Kind kind, String name, String identity, Processor cpu, Runnable body) {
        KContext c = new KContext(nextContextId++, kind, name, identity, new Pending(kernel), body);
        c.cpu = cpu;
        c.savedIrql = cpu.irql;
        cpu.stack.add(c);
        return c;
    }

    // ---------------------------------------------------------------- running a schedule

    /** Runs {@code first} and everything it leads to; returns when the schedule is over. */
    void run(KContext first, long wallClockLimitMillis) {
        controller = Thread.currentThread();
        Processor boot = cpus.get(0);
        first.cpu = boot;
        boot.stack.add(first);
        handTo(first);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wallClockLimitMillis);
        while (!finished) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                kernel.stuckOutsideKernel(current, wallClockLimitMillis);
                break;
            }
            LockSupport.parkNanos(this, left);
        }
        abortAll();
    }

    private void finish() {
        finished = true;
        LockSupport.unpark(controller);
    }

    /** Ends the schedule early: every context still alive unwinds with {@link ScheduleAbort}. */
    void abort() {
        aborting = true;
        finish();
    }

    private void abortAll() {
        aborting = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (liveContexts.get() > 0 && System.nanoTime() < deadline) {
            for (Worker w : allWorkers) {
                LockSupport.unpark(w.thread);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        shutDown = true;
        for (Worker w : allWorkers) {
            LockSupport.unpark(w.thread);
        }
    }

    void runContext(KContext context) {
        kernel.bindThread();
        try {
            awaitBaton(context);
            context.state = KContext.State.RUNNABLE;
            context.body.run();
        } catch (ScheduleAbort abort) {
            // unwound on purpose
        } catch (Throwable t) {
            if (!aborting) {
                kernel.driverThrew(context, t);
            }
        } finally {
            kernel.hb.end(context);
            context.state = KContext.State.DONE;
            if (context.kind == KContext.Kind.THREAD) {
                progressAt = now;
            }
            kernel.unbindThread();
            liveContexts.decrementAndGet();
            if (!aborting) {
                exit(context);
            }
        }
    }

    void returnWorker(Worker w) {
        freeWorkers.push(w);
    }

    private void handTo(KContext next) {
        current = next;
        if (next.worker == null) {
            // a context counts as live from the moment a worker runs it until its body ends
            liveContexts.incrementAndGet();
            Worker w = freeWorkers.poll();
            if (w == null) {
                w = new Worker(this, allWorkers.size());
                allWorkers.add(w);
            }
            w.assign(next);
        } else {
            LockSupport.unpark(next.worker.thread);
        }
    }

    private void awaitBaton(KContext self) {
        while (current != self) {
            if (aborting) {
                throw new ScheduleAbort();
            }
            LockSupport.park(this);
        }
        if (aborting) {
            throw new ScheduleAbort();
        }
    }

    /** A scheduling point of the running context: others may run before it continues. */
    void yieldPoint(KContext self) {
        if (aborting) {
            throw new ScheduleAbort();
        }
        KContext next = pick();
        if (next == null) {
            abort();
            throw new ScheduleAbort();
        }
        if (next != self) {
            handTo(next);
            awaitBaton(self);
        }
        self.state = KContext.State.RUNNABLE;
    }

    /**
     * Blocks the running context until {@code condition} holds. A spinning context keeps its
     * processor (spin locks, stalls); a waiting thread leaves it (dispatcher waits).
     */
    void block(KContext self, BooleanSupplier condition, boolean spinning, String waitingFor, long wakeAt) {
        while (!condition.getAsBoolean()) {
            self.state = KContext.State.BLOCKED;
            self.unblock = condition;
            self.spinning = spinning;
            self.waitingFor = waitingFor;
            self.wakeAt = wakeAt;
            if (!spinning && self.kind == KContext.Kind.THREAD && self.cpu != null) {
                leaveProcessor(self);
            }
            yieldPoint(self);
        }
        self.state = KContext.State.RUNNABLE;
        self.unblock = null;
        self.waitingFor = null;
        self.wakeAt = Long.MAX_VALUE;
    }

    private void leaveProcessor(KContext thread) {
        Processor cpu = thread.cpu;
        if (cpu.top() != thread || cpu.stack.size() != 1) {
            throw new IllegalStateException(thread + " cannot leave " + cpu + " with " + cpu.stack);
        }
        thread.savedIrql = cpu.irql;
        cpu.stack.clear();
        cpu.irql = Wdm.PASSIVE_LEVEL;
        thread.cpu = null;
    }

    private void exit(KContext self) {
        Processor cpu = self.cpu;
        if (self.kind != KContext.Kind.THREAD) {
            kernel.hb.handBack(self);
        }
        if (cpu != null) {
            cpu.stack.remove(self);
            if (self.kind == KContext.Kind.THREAD) {
                cpu.irql = Wdm.PASSIVE_LEVEL;
            }
            self.cpu = null;
        }
        threads.remove(self);
        if (kernel.scheduleComplete()) {
            finish();
            return;
        }
        KContext next = pick();
        if (next == null) {
            abort();
            return;
        }
        handTo(next);
    }

    // ---------------------------------------------------------------- choosing

    /** Chooses and performs options until one of them is a context to run; null ends the schedule. */
    private KContext pick() {
        while (true) {
            if (aborting) {
                return null;
            }
            steps++;
            if (steps > maxSteps) {
                kernel.hang(current);
                return null;
            }
            if (now - progressAt > STALL_MICROS) {
                kernel.stalled(blockedContexts(), STALL_MICROS);
                return null;
            }
            List<Option> options = options();
            if (options.isEmpty()) {
                long next = nextTimedEvent();
                if (next == Long.MAX_VALUE) {
                    kernel.deadlock(blockedContexts());
                    return null;
                }
                // nothing can run before the next timed event: the clock jumps to it
                now = Math.max(now, next);
                continue;
            }
            List<Processor> busy = busy(options);
            List<Option> offered = withinSkew(options, busy);
            Option a = offered.get(choose(offered));
            if (aborting) {
                return null;
            }
            advance(a, busy);
            switch (a.kind) {
                case RESUME:
                    return a.context;
                case START_DPC:
                    return kernel.startDpc(a.cpu);
                case PREEMPT:
                    leaveProcessor(a.victim);
                    // the ready thread takes the processor, as DISPATCH puts it on an idle one
                case DISPATCH:
                    a.context.cpu = a.cpu;
                    a.cpu.stack.add(a.context);
                    a.cpu.irql = a.context.savedIrql;
                    return a.context;
                case INTERRUPT:
                    return kernel.startIsr(a.interrupt, a.cpu);
                case DEVICE:
                    kernel.deviceEvent(a.device);
                    continue;
                case TIMER:
                    kernel.expire(a.timer);
                    continue;
                default:
                    throw new IllegalStateException(a.kind.toString());
            }
        }
    }

    // ---------------------------------------------------------------- time

    /**
     * How far one processor's clock may run ahead of the slowest processor that has something to
     * do: the longest a strategy may keep a processor waiting, as the devices see it.
     */
    static final long MAX_SKEW_MICROS = 1_000;

    /** Whether choosing the option is a step of code on its processor. */
    private static boolean isStep(Option o) {
        switch (o.kind) {
            case RESUME:
            case START_DPC:
            case DISPATCH:
            case PREEMPT:
            case INTERRUPT:
                return true;
            default:
                return false;
        }
    }

    /**
     * The processors that have a step to take. One that had nothing to do has stood still in
     * virtual time; it catches up with the machine's clock now.
     */
    private List<Processor> busy(List<Option> options) {
        List<Processor> busy = new ArrayList<>(cpus.size());
        for (Option o : options) {
            if (isStep(o) && !busy.contains(o.cpu)) {
                busy.add(o.cpu);
                o.cpu.clock = Math.max(o.cpu.clock, now);
            }
        }
        return busy;
    }

    /**
     * The options, without the steps of processors that are {@link #MAX_SKEW_MICROS} ahead of the
     * slowest busy one: those wait for it (the devices' and timers' events stay).
     */
    private List<Option> withinSkew(List<Option> options, List<Processor> busy) {
        if (busy.size() < 2) {
            return options;
        }
        long slowest = slowest(busy);
        List<Option> kept = null;
        for (int i = 0; i < options.size(); i++) {
            Option o = options.get(i);
            boolean ahead = isStep(o) && o.cpu.clock - slowest >= MAX_SKEW_MICROS;
            if (ahead && kept == null) {
                kept = new ArrayList<>(options.subList(0, i));
            } else if (!ahead && kept != null) {
                kept.add(o);
            }
        }
        return kept == null ? options : kept;
    }

    /**
     * Time moves. A step of code takes a microsecond of its processor's clock; the machine's clock,
     * which the devices and timers follow, is the slowest busy processor's. A strategy that keeps a
     * processor waiting thus does not make its DPC or interrupt late in the devices' eyes: while
     * one processor runs alone and another waits with work, the devices wait too. With no
     * processor busy, a microsecond passes per decision.
     */
    private void advance(Option chosen, List<Processor> busy) {
        if (isStep(chosen)) {
            chosen.cpu.clock++;
        }
        now = busy.isEmpty() ? now + 1 : Math.max(now, slowest(busy));
    }

    /** The clock of the slowest of the busy processors. */
    private static long slowest(List<Processor> busy) {
        long slowest = Long.MAX_VALUE;
        for (Processor p : busy) {
            slowest = Math.min(slowest, p.clock);
        }
        return slowest;
    }

    /**
     * Asks the strategy to choose one of {@code options} and records the choice; a decision with
     * one option is no choice and is not asked.
     */
    int choose(List<Option> options) {
        int n = options.size();
        int c = n == 1 ? 0 : strategy.choose(options);
        if (c < 0 || c >= n) {
            throw new IllegalStateException("strategy chose " + c + " of " + n);
        }
        if (n > 1) {
            if (strategy instanceof ReplayStrategy r && r.divergence() != null) {
                // the run left its trace: it ends here, and the replay says where and why
                abort();
                return 0;
            }
            choices.add(n, c);
            if (kernel.trace != null) {
                kernel.trace.chose(steps, now, options, c);
            }
        }
        return c;
    }

    /**
     * The options of a decision: on each processor, the DPC queue to drain, or what runs there to
     * go on (or a thread to put there, or the thread there to preempt), and the interrupts it can
     * take; then the devices' and timers' events that are due, and the device events that may come
     * before their time (a transfer that ends sooner): time moves to those when they are chosen.
     */
    private List<Option> options() {
        List<Option> options = new ArrayList<>();
        List<KContext> ready = readyThreads();
        for (Processor cpu : cpus) {
            KContext top = cpu.top();
            if (cpu.mustDrainDpcs()) {
                DpcObject first = cpu.dpcQueue.peek();
                options.add(new Option(Option.Kind.START_DPC, cpu, null, null, null, null, 0, first.identity));
            } else if (top != null) {
                if (top.runnable()) {
                    options.add(new Option(Option.Kind.RESUME, cpu, top, null, null, null, 0, top.identity));
                }
                if (top.kind == KContext.Kind.THREAD && cpu.irql < Wdm.DISPATCH_LEVEL
                        && top.state != KContext.State.NEW) {
                    for (KContext t : ready) {
                        options.add(new Option(Option.Kind.PREEMPT, cpu, t, top, null, null, null, 0, t.identity));
                    }
                }
            } else {
                for (KContext t : ready) {
                    options.add(new Option(Option.Kind.DISPATCH, cpu, t, null, null, null, 0, t.identity));
                }
            }
            for (InterruptObject io : kernel.interrupts()) {
                if (io.deliverableTo(cpu)) {
                    options.add(new Option(Option.Kind.INTERRUPT, cpu, null, io, null, null, 0, io.identity));
                }
            }
        }
        kernel.timedEvents(now, options);
        return options;
    }

    private List<KContext> readyThreads() {
        List<KContext> ready = new ArrayList<>();
        for (KContext t : threads) {
            if (t.cpu == null && t.state != KContext.State.DONE && t.runnable()) {
                ready.add(t);
            }
        }
        return ready;
    }

    /** The time of the first timed event: a device's, a timer's, or a waiting context's timeout. */
    private long nextTimedEvent() {
        long next = kernel.nextEventTime();
        for (KContext c : waiting()) {
            next = Math.min(next, c.wakeAt);
        }
        return next;
    }

    /** The contexts blocked with a timeout, on a processor or off every processor. */
    private List<KContext> waiting() {
        List<KContext> out = new ArrayList<>();
        for (KContext t : threads) {
            if (t.state == KContext.State.BLOCKED && t.wakeAt != Long.MAX_VALUE && t.cpu == null) {
                out.add(t);
            }
        }
        for (Processor cpu : cpus) {
            for (KContext c : cpu.stack) {
                if (c.state == KContext.State.BLOCKED && c.wakeAt != Long.MAX_VALUE) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    private List<KContext> blockedContexts() {
        List<KContext> blocked = new ArrayList<>();
        for (Processor cpu : cpus) {
            blocked.addAll(cpu.stack);
        }
        for (KContext t : threads) {
            if (t.cpu == null && t.state != KContext.State.DONE) {
                blocked.add(t);
            }
        }
        return blocked;
    }
}
