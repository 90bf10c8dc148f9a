package dev.dpccheck.wdm;

/**
 * DEVICE_DESCRIPTION: what the driver tells {@link Wdm#IoGetDmaAdapter} about its DMA
 * capabilities.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_device_description
 */
public final class DeviceDescription {
    /** DEVICE_DESCRIPTION_VERSION, 1, 2 or 3. */
    public int Version;
    /** TRUE for a bus-master device. */
    public boolean Master;
    /** TRUE when the device supports scatter/gather itself. */
    public boolean ScatterGather;
    /** TRUE when the device can address 32 bits. */
    public boolean Dma32BitAddresses;
    /** TRUE when the device can address 64 bits. */
    public boolean Dma64BitAddresses;
    /** INTERFACE_TYPE of the bus. */
    public int InterfaceType;
    /** The largest transfer, in bytes, the device supports in one operation. */
    public int MaximumLength;
}
