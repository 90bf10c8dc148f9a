package dev.dpccheck.wdm;

/**
 * CM_RESOURCE_LIST: the hardware resources the PnP manager assigned to a device, as found in
 * {@code Parameters.StartDevice.AllocatedResourcesTranslated}.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_cm_resource_list
 */
public final class CmResourceList {
    /** The number of full descriptors. */
    public int Count;
    /** The full descriptors, one per bus. */
    public CmFullResourceDescriptor[] List = new CmFullResourceDescriptor[0];

    /** CM_FULL_RESOURCE_DESCRIPTOR. */
    public static final class CmFullResourceDescriptor {
        /** INTERFACE_TYPE of the bus. */
        public int InterfaceType;
        /** The bus number. */
        public int BusNumber;
        /** The resources on this bus. */
        public final CmPartialResourceList PartialResourceList = new CmPartialResourceList();
    }

    /** CM_PARTIAL_RESOURCE_LIST. */
    public static final class CmPartialResourceList {
        /** The number of partial descriptors. */
        public int Count;
        /** The partial descriptors. */
        public CmPartialResourceDescriptor[] PartialDescriptors = new CmPartialResourceDescriptor[0];
    }
}
