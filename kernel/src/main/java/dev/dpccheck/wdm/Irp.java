package dev.dpccheck.wdm;

/**
 * IRP: an I/O request packet. Built by the I/O manager; its stack locations are reached through
 * {@link Wdm#IoGetCurrentIrpStackLocation} and {@link Wdm#IoGetNextIrpStackLocation}. Once
 * completed with {@link Wdm#IoCompleteRequest} the IRP belongs to the I/O manager again, which
 * frees it: its fields no longer hold the request.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_irp
 */
public final class Irp {
    /** The final status and information of the request. */
    public final IoStatusBlock IoStatus = new IoStatusBlock();
    /** Holds the system buffer of buffered I/O and METHOD_BUFFERED IOCTLs. */
    public final AssociatedIrpUnion AssociatedIrp = new AssociatedIrpUnion();
    /** The MDL describing the user buffer for direct I/O, or null. */
    public Mdl MdlAddress;
    /** Set when the IRP has been cancelled. */
    public boolean Cancel;
    /**
     * In a Cancel routine: the IRQL the I/O manager saved when it acquired the cancel spin lock,
     * which the routine passes to IoReleaseCancelSpinLock.
     */
    public int CancelIrql;
    /** Set by the I/O manager when a lower driver marked the IRP pending. */
    public boolean PendingReturned;
    /** UserMode or KernelMode. */
    public int RequestorMode;
    /** The number of stack locations. */
    public int StackCount;
    /** The index of the current stack location, counting down from StackCount + 1. */
    public int CurrentLocation;
    /** Fields of the IRP's tail that drivers use. */
    public final TailUnion Tail;

    /** IRPs are built by the I/O manager. */
    public Irp() {
        Tail = new TailUnion(this);
    }

    /** The AssociatedIrp union. */
    public static final class AssociatedIrpUnion {
        /** The system-space buffer of buffered I/O. */
        public byte[] SystemBuffer;
    }

    /** The Tail union. */
    public static final class TailUnion {
        /** The Overlay member. */
        public final Overlay Overlay;

        TailUnion(Irp irp) {
            Overlay = new Overlay(irp);
        }
    }

    /** Tail.Overlay. */
    public static final class Overlay {
        /** Four pointer-sized fields the current owner of the IRP may use. */
        public final Object[] DriverContext = new Object[4];
        /**
         * The link the current owner of the IRP may use to keep it on a list (a driver-managed
         * queue); {@code CONTAINING_RECORD(entry, Irp.class)} gives the IRP back.
         */
        public final ListEntry ListEntry;

        Overlay(Irp irp) {
            ListEntry = new ListEntry(irp);
        }
    }
}
