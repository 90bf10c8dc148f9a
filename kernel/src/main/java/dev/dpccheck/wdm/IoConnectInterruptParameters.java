package dev.dpccheck.wdm;

/**
 * IO_CONNECT_INTERRUPT_PARAMETERS for {@link Wdm#IoConnectInterruptEx}. This simulation supports
 * the CONNECT_FULLY_SPECIFIED version.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_io_connect_interrupt_parameters
 */
public final class IoConnectInterruptParameters {
    /** CONNECT_FULLY_SPECIFIED. */
    public int Version;
    /** The parameters of a fully specified connection. */
    public final FullySpecifiedParameters FullySpecified = new FullySpecifiedParameters();

    /** IO_CONNECT_INTERRUPT_FULLY_SPECIFIED_PARAMETERS. */
    public static final class FullySpecifiedParameters {
        /** The PDO of the device. */
        public DeviceObject PhysicalDeviceObject;
        /** Receives the interrupt object. */
        public Out<KInterrupt> InterruptObject;
        /** The ISR. */
        public KServiceRoutine ServiceRoutine;
        /** The ISR's context. */
        public Object ServiceContext;
        /** An optional spin lock to use instead of the interrupt object's own, or null. */
        public KSpinLock SpinLock;
        /** The IRQL SynchCritSection routines run at. */
        public int SynchronizeIrql;
        /** Ignored. */
        public boolean FloatingSave;
        /** TRUE when the vector may be shared. */
        public boolean ShareVector;
        /** The translated vector. */
        public int Vector;
        /** The DIRQL. */
        public int Irql;
        /** LevelSensitive or Latched. */
        public int InterruptMode;
        /** The processors the ISR may run on. */
        public long ProcessorEnableMask;
    }
}
