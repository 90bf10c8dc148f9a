package dev.dpccheck.wdm;

/**
 * DEVICE_OBJECT: a device object, created with {@link Wdm#IoCreateDevice}.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_device_object
 */
public final class DeviceObject {
    /** The driver object of the driver that created this device object. */
    public DriverObject DriverObject;
    /** The next device object created by the same driver. */
    public DeviceObject NextDevice;
    /** The device object attached above this one in the device stack, if any. */
    public DeviceObject AttachedDevice;
    /** The IRP StartIo is processing, set by the I/O manager; null when the queue is idle. */
    public Irp CurrentIrp;
    /** DO_ flags: DO_BUFFERED_IO, DO_DIRECT_IO, DO_DEVICE_INITIALIZING. */
    public int Flags;
    /** FILE_DEVICE_ type. */
    public int DeviceType;
    /** FILE_ characteristics. */
    public int Characteristics;
    /** The number of stack locations IRPs sent to this device need. */
    public int StackSize;
    /** The device extension: an instance of the class given to IoCreateDevice, in nonpaged pool. */
    public Object DeviceExtension;
    /** The DPC object of the DpcForIsr routine; see {@link Wdm#IoInitializeDpcRequest}. */
    public final Kdpc Dpc = new Kdpc();
}
