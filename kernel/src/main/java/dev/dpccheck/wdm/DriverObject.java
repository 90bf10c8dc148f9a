package dev.dpccheck.wdm;

/**
 * DRIVER_OBJECT: the driver as the I/O manager sees it. DriverEntry fills in the entry points.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_driver_object
 */
public final class DriverObject {
    /** The first device object the driver created; the others follow through NextDevice. */
    public DeviceObject DeviceObject;
    /** Holds the AddDevice routine. */
    public final DriverExtension DriverExtension = new DriverExtension();
    /** The driver's name, e.g. {@code \Driver\dmadisk}. */
    public UnicodeString DriverName;
    /** The StartIo routine, or null when the driver queues IRPs itself. */
    public DriverStartIo DriverStartIo;
    /** The Unload routine. */
    public DriverUnload DriverUnload;
    /** The dispatch routines, indexed by IRP_MJ_ code. */
    public final DriverDispatch[] MajorFunction = new DriverDispatch[Wdm.IRP_MJ_MAXIMUM_FUNCTION + 1];
}
