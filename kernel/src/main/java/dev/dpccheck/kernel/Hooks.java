package dev.dpccheck.kernel;

/**
 * What instrumented driver code calls: the analog of what Driver Verifier hooks into a driver
 * image. The driver loader inserts these calls with ASM: {@link #enter} and {@link #exit} around
 * every driver method (IRQL contracts of the driver's own annotated helpers, {@code @Pageable}
 * code, checks at a routine's return), {@link #read} and {@link #write} on every access to an
 * instance or static field of the driver's classes, of an IRP and of {@code DeviceObject.CurrentIrp},
 * {@link #arrayRead} and the array stores on every array element the driver touches (scheduling
 * points once the object is shared, and the monitors), and {@link #loop} on every backward branch
 * (the bound on steps that turns a spinning driver into a reported hang). Public only because instrumented
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

    /** Driver code reaches line probe {@code probeId} ({@link DriverImage.LineCoverage}); not a scheduling point. */
    public static void line(int probeId) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.lineRan(probeId);
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
    public static void read(Object object, int fieldId, int site) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(object, fieldId, -1, false, site);
            if (k.trace != null) {
                k.traceRead(object, fieldId, -1);
            }
        }
    }

    /** Driver code writes {@code value} to instance field {@code fieldId} of {@code object}. */
    public static void write(Object object, int value, int fieldId, int site) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(object, fieldId, -1, true, site);
            if (k.trace != null) {
                k.traceWrite(object, fieldId, -1, value);
            }
        }
    }

    public static void write(Object object, long value, int fieldId, int site) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(object, fieldId, -1, true, site);
            if (k.trace != null) {
                k.traceWrite(object, fieldId, -1, value);
            }
        }
    }

    public static void write(Object object, float value, int fieldId, int site) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(object, fieldId, -1, true, site);
            if (k.trace != null) {
                k.traceWrite(object, fieldId, -1, value);
            }
        }
    }

    public static void write(Object object, double value, int fieldId, int site) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(object, fieldId, -1, true, site);
            if (k.trace != null) {
                k.traceWrite(object, fieldId, -1, value);
            }
        }
    }

    public static void write(Object object, Object value, int fieldId, int site) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(object, fieldId, -1, true, site);
            if (k.trace != null) {
                k.traceWrite(object, fieldId, -1, value);
            }
        }
    }

    /** Driver code reads static field {@code fieldId} of its class {@code owner}. */
    public static void readStatic(Class<?> owner, int fieldId, int site) {
        read(owner, fieldId, site);
    }

    /** Driver code writes {@code value} to static field {@code fieldId} of its class {@code owner}. */
    public static void writeStatic(int value, Class<?> owner, int fieldId, int site) {
        write(owner, value, fieldId, site);
    }

    public static void writeStatic(long value, Class<?> owner, int fieldId, int site) {
        write(owner, value, fieldId, site);
    }

    public static void writeStatic(float value, Class<?> owner, int fieldId, int site) {
        write(owner, value, fieldId, site);
    }

    public static void writeStatic(double value, Class<?> owner, int fieldId, int site) {
        write(owner, value, fieldId, site);
    }

    public static void writeStatic(Object value, Class<?> owner, int fieldId, int site) {
        write(owner, value, fieldId, site);
    }

    /** Driver code reads element {@code index} of {@code array} (any array type; before the load instruction). */
    public static void arrayRead(Object array, int index, int site) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(array, FieldMonitor.ARRAY, index, false, site);
            if (k.trace != null) {
                k.traceRead(array, FieldMonitor.ARRAY, index);
            }
        }
    }

    private static void arrayWrite(Object array, int index, Object value, int site) {
        Kernel k = CURRENT.get();
        if (k != null) {
            k.fields.access(array, FieldMonitor.ARRAY, index, true, site);
            if (k.trace != null) {
                k.traceWrite(array, FieldMonitor.ARRAY, index, value);
            }
        }
    }

    // The stores replace the array store instructions: the access is a scheduling point before the
    // store, which then throws what the instruction would (NullPointerException, ArrayIndexOutOfBounds,
    // ArrayStoreException).

    public static void iastore(int[] array, int index, int value, int site) {
        arrayWrite(array, index, value, site);
        array[index] = value;
    }

    public static void lastore(long[] array, int index, long value, int site) {
        arrayWrite(array, index, value, site);
        array[index] = value;
    }

    public static void fastore(float[] array, int index, float value, int site) {
        arrayWrite(array, index, value, site);
        array[index] = value;
    }

    public static void dastore(double[] array, int index, double value, int site) {
        arrayWrite(array, index, value, site);
        array[index] = value;
    }

    public static void aastore(Object[] array, int index, Object value, int site) {
        arrayWrite(array, index, value, site);
        array[index] = value;
    }

    /** BASTORE stores to a byte[] or a boolean[]. */
    public static void bastore(Object array, int index, int value, int site) {
        arrayWrite(array, index, value, site);
        if (array instanceof boolean[] b) {
            b[index] = (value & 1) != 0;
        } else {
            ((byte[]) array)[index] = (byte) value;
        }
    }

    public static void castore(char[] array, int index, int value, int site) {
        arrayWrite(array, index, value, site);
        array[index] = (char) value;
    }

    public static void sastore(short[] array, int index, int value, int site) {
        arrayWrite(array, index, value, site);
        array[index] = (short) value;
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
