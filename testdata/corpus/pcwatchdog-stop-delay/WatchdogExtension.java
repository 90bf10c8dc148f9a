package corpus.pcwatchdogstopdelay;

import dev.dpccheck.wdm.*;

/** Device extension of the ISA watchdog card driver. */
final class WatchdogExtension {
    DeviceObject Self;
    DeviceObject LowerDevice;
    long IoAddr;
    int Revision;
    boolean SupportsTemp;
    boolean CommandMode;
    int BootStatus;
    boolean TempPanic;

    /** Guards the card's ports and the heartbeat bookkeeping below. */
    final KSpinLock IoLock = new KSpinLock();
    int Heartbeat;
    int TicksLeft;
    boolean HeartbeatLostLogged;
    boolean Open;
    boolean ExpectClose;
    boolean Running;

    final KTimer PingTimer = new KTimer();
    final Kdpc PingDpc = new Kdpc();
}
