package dev.dpccheck.analyzer.driver;

import dev.dpccheck.kernel.IrqlContract;
import dev.dpccheck.wdm.*;
import java.lang.reflect.Method;

/**
 * The role a driver routine plays, named by the role-type interface it is converted to. The IRQL
 * a routine is entered at comes from the annotation on the role interface's method, except that
 * dispatch routines are taken to run at PASSIVE_LEVEL, as SDV takes them (the WDK allows read and
 * write dispatch routines of some lowest-level drivers at DISPATCH_LEVEL; none of ours is one).
 */
public enum Role {
    DRIVER_ENTRY(DriverInitialize.class),
    ADD_DEVICE(DriverAddDevice.class),
    DISPATCH(DriverDispatch.class),
    START_IO(DriverStartIo.class),
    DPC_FOR_ISR(IoDpcRoutine.class),
    CUSTOM_DPC(KDeferredRoutine.class),
    ISR(KServiceRoutine.class),
    SYNCH_CRIT_SECTION(KSynchronizeRoutine.class),
    IO_TIMER(IoTimerRoutine.class),
    COMPLETION(IoCompletionRoutine.class),
    CANCEL(DriverCancel.class),
    CONTROL(DriverControl.class),
    LIST_CONTROL(DriverListControl.class),
    UNLOAD(DriverUnload.class);

    /** The role-type interface. */
    public final Class<?> roleType;
    /** The WDK name of the role, which is the interface method's name: {@code DpcForIsr}. */
    public final String wdkName;
    private final int entryIrql;

    Role(Class<?> roleType) {
        this.roleType = roleType;
        Method m = roleType.getMethods()[0];
        this.wdkName = m.getName();
        IrqlContract c = IrqlContract.of(m);
        this.entryIrql = roleType == DriverDispatch.class ? Wdm.PASSIVE_LEVEL : c.max() == Wdm.HIGH_LEVEL ? c.min()
                : c.max();
    }

    /** The IRQL the routine runs at when the system calls it (DIRQL_MIN stands for any DIRQL). */
    public int entryIrql() {
        return entryIrql;
    }

    public boolean isDpc() {
        return this == DPC_FOR_ISR || this == CUSTOM_DPC;
    }

    /** The role of a role-type interface, by qualified name, or null. */
    public static Role ofType(String qualifiedName) {
        for (Role r : values()) {
            if (r.roleType.getName().equals(qualifiedName)) {
                return r;
            }
        }
        return null;
    }
}
