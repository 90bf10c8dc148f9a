package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The happens-before order of a schedule, with vector clocks (Lamport; FastTrack's epochs, Flanagan
 * and Freund, PLDI 2009), and the DataRace monitor over it. Each actor (a thread, a DPC object's
 * runs, an interrupt's ISR) is one thread of the order, its runs in program order; a run that
 * starts while another run of the same actor is live (a DPC requeued and run on the other
 * processor) gets a thread of its own. The edges are those of the WDM's synchronization (DESIGN
 * §3): a spin lock's release before its next acquire (executive spin locks, the interrupt spin
 * lock that the ISR and KeSynchronizeExecution hold, the cancel spin lock, a device queue's lock
 * that IoStartPacket and IoStartNextPacket take), a DPC queue request
 * before the DPC's run, a timer's setting before its DPC, IoStartPacket before the StartIo of that
 * IRP and AllocateAdapterChannel before its AdapterControl, a write to a device's registers before
 * the ISR of its next interrupt, KeSetEvent before the wait it ends, the release of a remove lock
 * before the wait for it, IoCompleteRequest before the requester's return from its wait, and the
 * creation of a thread before its run; and on one processor, the context a DPC or an ISR
 * interrupts before the activation, and the activation before the rest of that context.
 *
 * <p>Two accesses to the same field, static field or array element, one of them a write, that no
 * chain of these edges orders, are a DataRace, reported at one of the two lines whichever came
 * first ({@link #blamed}), naming both and the contexts. Fields written in a constructor are not
 * tracked (an object is published by the edge that hands it over).
 */
final class HappensBefore {
    /** One clock of the order, copied where an edge carries it. */
    static final class Clock {
        int[] c;

        Clock(int size) {
            c = new int[size];
        }

        Clock copy() {
            Clock x = new Clock(0);
            x.c = c.clone();
            return x;
        }

        int get(int tid) {
            return tid < c.length ? c[tid] : 0;
        }

        void join(Clock o) {
            if (o == null) {
                return;
            }
            if (o.c.length > c.length) {
                c = Arrays.copyOf(c, o.c.length);
            }
            for (int i = 0; i < o.c.length; i++) {
                if (o.c[i] > c[i]) {
                    c[i] = o.c[i];
                }
            }
        }

        void tick(int tid) {
            if (tid >= c.length) {
                c = Arrays.copyOf(c, tid + 1);
            }
            c[tid]++;
        }
    }

    /** The last accesses to one location: the last write, and the reads since it, as epochs with their sites. */
    private static final class Location {
        int writeTid = -1;
        int writeClock;
        int writeSite;
        int writeLocks;
        /** By thread: the clock of its last read since the last write (0: none), its site and the locks it held. */
        int[] readClock = new int[0];
        int[] readSite = new int[0];
        int[] readLocks = new int[0];
    }

    private final Kernel k;
    private final Map<String, Integer> actorThreads = new HashMap<>();
    /** By thread: its actor's identity, whether a run of it is live, and its clock when its last run ended. */
    private final List<String> actorOf = new ArrayList<>();
    private final List<Boolean> live = new ArrayList<>();
    private final List<Clock> ended = new ArrayList<>();
    /** Locations by object, then by field id; an array's elements by index (or one location for a large array). */
    private final Map<Object, Location[]> fields = new java.util.IdentityHashMap<>();
    private final Map<Object, Location[]> elements = new java.util.IdentityHashMap<>();
    /** Arrays longer than this are one location: a buffer of megabytes is not tracked byte by byte. */
    static final int MAX_TRACKED_ELEMENTS = 1 << 16;
    /** The clocks that edges carry: by lock, DPC, timer, IRP, adapter request, device, event, remove lock. */
    private final Map<Object, Clock> carried = new java.util.IdentityHashMap<>();

    HappensBefore(Kernel k) {
        this.k = k;
    }

    // ---------------------------------------------------------------- threads of the order

    /** A context starts: it takes its actor's thread (or a new one), after its actor's last run and {@code after}. */
    void start(KContext c, Clock after) {
        Integer tid = actorThreads.get(c.identity);
        if (tid == null || live.get(tid)) {
            tid = actorOf.size();
            actorOf.add(c.identity);
            live.add(false);
            ended.add(null);
            actorThreads.putIfAbsent(c.identity, tid);
        }
        c.tid = tid;
        live.set(tid, true);
        Clock clock = new Clock(actorOf.size());
        clock.join(ended.get(tid));
        clock.join(after);
        clock.tick(tid);
        c.clock = clock;
    }

    /** A context ends: the next run of its actor follows it. */
    void end(KContext c) {
        if (c.clock != null) {
            ended.set(c.tid, c.clock.copy());
            live.set(c.tid, false);
        }
    }

    /**
     * What an activation (a DPC or an ISR) starts after besides its edges: the context it
     * interrupts on its processor, whose past precedes it there.
     */
    Clock below(KContext activation, Clock edges) {
        List<KContext> stack = activation.cpu == null ? List.of() : activation.cpu.stack;
        int i = stack.indexOf(activation);
        KContext under = i > 0 ? stack.get(i - 1) : null;
        if (under == null || under.clock == null) {
            return edges;
        }
        Clock x = under.clock.copy();
        x.join(edges);
        return x;
    }

    /** An activation ends on its processor: the context it interrupted goes on after it. */
    void handBack(KContext activation) {
        List<KContext> stack = activation.cpu == null ? List.of() : activation.cpu.stack;
        int i = stack.indexOf(activation);
        KContext under = i > 0 ? stack.get(i - 1) : null;
        if (under != null && under.clock != null && activation.clock != null) {
            under.clock.join(activation.clock);
        }
    }

    /** An edge leaves the context: {@code key} carries what it knows (a release, a set, a queue request). */
    void release(KContext c, Object key) {
        if (c == null || c.clock == null) {
            return;
        }
        Clock x = carried.get(key);
        if (x == null) {
            carried.put(key, c.clock.copy());
        } else {
            x.join(c.clock);
        }
        c.clock.tick(c.tid);
    }

    /** An edge arrives in the context: it knows what {@code key} carries (an acquire, a wait, a run). */
    void acquire(KContext c, Object key) {
        if (c != null && c.clock != null) {
            c.clock.join(carried.get(key));
        }
    }

    /**
     * The context takes and gives back the lock {@code key} stands for, in one step: it comes
     * after every earlier holder, and every later holder comes after it.
     */
    void passThrough(KContext c, Object key) {
        acquire(c, key);
        release(c, key);
    }

    /** What {@code key} carries, for a context that starts after it. */
    Clock carried(Object key) {
        return carried.get(key);
    }

    /** {@code to} carries what {@code from} carries, too (a timer's setting, handed to the DPC it queues). */
    void forward(Object from, Object to) {
        Clock x = carried.get(from);
        if (x == null) {
            return;
        }
        Clock y = carried.get(to);
        if (y == null) {
            carried.put(to, x.copy());
        } else {
            y.join(x);
        }
    }

    // ---------------------------------------------------------------- accesses

    /** An access of driver code at {@code site}; reports a DataRace with an earlier unordered one. */
    void access(KContext c, Object object, int fieldId, int index, boolean write, int site) {
        if (c.clock == null) {
            return;
        }
        Location l = location(object, fieldId, index);
        int tid = c.tid;
        Clock now = c.clock;
        int locks = c.heldLocks.size();
        if (l.writeTid >= 0 && l.writeTid != tid && l.writeClock > now.get(l.writeTid)) {
            race(c, object, fieldId, index, new Access(write, site, locks), l.writeTid, new Access(true, l.writeSite,
                    l.writeLocks));
        }
        if (write) {
            for (int t = 0; t < l.readClock.length; t++) {
                if (t != tid && l.readClock[t] > now.get(t)) {
                    race(c, object, fieldId, index, new Access(true, site, locks), t, new Access(false, l.readSite[t],
                            l.readLocks[t]));
                    break;
                }
            }
            l.writeTid = tid;
            l.writeClock = now.get(tid);
            l.writeSite = site;
            l.writeLocks = locks;
            Arrays.fill(l.readClock, 0);
        } else {
            if (tid >= l.readClock.length) {
                l.readClock = Arrays.copyOf(l.readClock, actorOf.size());
                l.readSite = Arrays.copyOf(l.readSite, actorOf.size());
                l.readLocks = Arrays.copyOf(l.readLocks, actorOf.size());
            }
            l.readClock[tid] = now.get(tid);
            l.readSite[tid] = site;
            l.readLocks[tid] = locks;
        }
    }

    private Location location(Object object, int fieldId, int index) {
        Location[] all;
        int i;
        if (fieldId == FieldMonitor.LIST) {
            all = elements.get(object);
            if (all == null) {
                all = new Location[1];
                elements.put(object, all);
            }
            i = 0;
        } else if (fieldId == FieldMonitor.ARRAY) {
            int length = java.lang.reflect.Array.getLength(object);
            all = elements.get(object);
            if (all == null) {
                all = new Location[Math.min(length, MAX_TRACKED_ELEMENTS) + 1];
                elements.put(object, all);
            }
            i = length > MAX_TRACKED_ELEMENTS || index < 0 || index >= length ? all.length - 1 : index;
        } else {
            all = fields.get(object);
            if (all == null || all.length <= fieldId) {
                Location[] grown = new Location[k.image.fieldCount()];
                if (all != null) {
                    System.arraycopy(all, 0, grown, 0, all.length);
                }
                all = grown;
                fields.put(object, all);
            }
            i = fieldId;
        }
        Location l = all[i];
        if (l == null) {
            l = new Location();
            all[i] = l;
        }
        return l;
    }

    /** One side of a race: whether it wrote, where, and how many spin locks its context held. */
    private record Access(boolean write, int site, int locks) {
    }

    private void race(KContext c, Object object, int fieldId, int index, Access mine, int otherTid, Access other) {
        StackTraceElement here = k.image.site(mine.site());
        StackTraceElement there = k.image.site(other.site());
        if (here == null || there == null) {
            return;
        }
        String what = fieldId == FieldMonitor.LIST ? "the list headed by '" + k.fields.objectLabel(object) + "'"
                : fieldId == FieldMonitor.ARRAY
                ? "element " + index + " of " + object.getClass().getSimpleName().replace("[]", "") + " array"
                : "'" + (object instanceof Class<?> ? "static " : "") + k.image.fieldName(fieldId) + "'";
        StackTraceElement blamed = blamed(here, mine, there, other);
        k.monitor(DataRace.class).race(c.currentRoutine(), c.name, mine.write(), what, here.getLineNumber(),
                actorOf.get(otherTid), other.write(), there.getLineNumber(), k.image.sourceName(there), blamed,
                blamed == there);
    }

    /**
     * Where a race is reported, the same whichever access came first: at the access made holding
     * fewer spin locks (the one that left the lock discipline: an unlocked write racing locked
     * reads), then at the read (a check that acts on a value another context changes), then at
     * the earlier line.
     */
    private StackTraceElement blamed(StackTraceElement a, Access x, StackTraceElement b, Access y) {
        if (x.locks() != y.locks()) {
            return x.locks() < y.locks() ? a : b;
        }
        if (x.write() != y.write()) {
            return x.write() ? b : a;
        }
        return compare(a, b) <= 0 ? a : b;
    }

    private int compare(StackTraceElement a, StackTraceElement b) {
        int f = k.image.sourceName(a).compareTo(k.image.sourceName(b));
        return f != 0 ? f : Integer.compare(a.getLineNumber(), b.getLineNumber());
    }
}
