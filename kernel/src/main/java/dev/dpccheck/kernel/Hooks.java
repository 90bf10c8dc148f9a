package dev.dpccheck.kernel;

/**
 * What instrumented driver code calls: the analog of what Driver Verifier hooks into a driver
 * image. The driver loader inserts these calls with ASM: {@link #enter} and {@link #exit} around
 * every driver method (IRQL contracts of the driver's own annotated helpers, {@code @Pageable}
 * code, checks at a routine's return), {@link #read} and {@link #write} on every access to an
 * instance field of the driver's classes, of an IRP and of {@code DeviceObject.CurrentIrp}
 * (observation only, not scheduling points), and {@link #loop} on every backward branch (the bound on
 * steps that turns a spinning driver into a reported hang). Public only because instrumented
 * classes live in another class loader; drivers never call it.
 */
public final class Hooks {
    private static final ThreadLocal<Kernel> CURRENT = new ThreadLocal<>();

    private Hooks() {
    }

    static void bind(Kernel kernel) {
        if (kernel == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(kernel);
        }
    }

    static void unregister(Kernel kernel) {
        if (CURRENT.get() == kernel) {
            CURRENT.remove();
        }
    }

    /** Entry of driver method {@code methodId}. */
    public static void enter(int methodId) {
        Kernel k = CURRENT.get();
        if (k != null) {
            // a JDK loop that calls back into the driver (a stream, a comparator) is bounded here
            loop(k);
            k.executive.methodEntered(methodId);
        }
    }

    /** Normal return of driver method {@code methodId}, before its return instruction. */
    public static void exit(int methodId) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.executive.methodExiting(methodId, null);
        }
    }

    /** Normal return of driver method {@code methodId} that returns the int {@code value}. */
    public static void exitInt(int value, int methodId) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.executive.methodExiting(methodId, value);
        }
    }

    /** Driver code reads instance field {@code fieldId} of {@code object}. */
    public static void read(Object object, int fieldId) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(object, fieldId, false);
        }
    }

    /** Driver code writes instance field {@code fieldId} of {@code object}. */
    public static void write(Object object, int fieldId) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(object, fieldId, true);
        }
    }

    /** A backward branch in driver code. */
    public static void loop() {
        Kernel k = CURRENT.get();
        if (k != null) {
            loop(k);
        }
    }

    private static void loop(Kernel k) {
        if (k.scheduler.aborting()) {
            // a driver that catches the unwinding and goes on is unwound again
            throw new ScheduleAbort();
        }
        k.executive.loopIteration();
    }
}
