package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.*;

/**
 * IO_TIMER_ROUTINE: an IoTimer routine, called once per second of virtual time while the timer
 * runs ({@link Wdm#IoStartTimer}). Called at DISPATCH_LEVEL.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-io_timer_routine
 */
@FunctionalInterface
public interface IoTimerRoutine {
    /**
     * The routine itself.
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void IoTimer(DeviceObject DeviceObject, Object Context);
}
