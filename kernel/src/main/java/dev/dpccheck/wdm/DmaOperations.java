package dev.dpccheck.wdm;

import static dev.dpccheck.wdm.Wdm.PASSIVE_LEVEL;
import static dev.dpccheck.wdm.Wdm.DISPATCH_LEVEL;

/**
 * DMA_OPERATIONS: the routines of a DMA adapter. Each carries the IRQL contract of its WDK page;
 * the kernel checks it on every call, exactly as for the routines of {@link Wdm}.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_dma_operations
 */
public interface DmaOperations {
    /**
     * PALLOCATE_ADAPTER_CHANNEL: asks for the adapter channel and map registers; calls
     * ExecutionRoutine at DISPATCH_LEVEL once they are the caller's.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-pallocate_adapter_channel
     */
    @IrqlRequires(DISPATCH_LEVEL)
    int AllocateAdapterChannel(DmaAdapter DmaAdapter, DeviceObject DeviceObject, int NumberOfMapRegisters,
            DriverControl ExecutionRoutine, Object Context);

    /**
     * PMAP_TRANSFER: maps the next piece of an MDL's buffer to map registers and returns the
     * logical address the device transfers to or from; Length is cut to what was mapped.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-pmap_transfer
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    long MapTransfer(DmaAdapter DmaAdapter, Mdl Mdl, Object MapRegisterBase, long CurrentVa, Out<Integer> Length,
            boolean WriteToDevice);

    /**
     * PFLUSH_ADAPTER_BUFFERS: makes the data of a finished transfer visible: to memory for a
     * device-to-memory transfer.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-pflush_adapter_buffers
     */
    @IrqlRequiresMax(DISPATCH_LEVEL)
    boolean FlushAdapterBuffers(DmaAdapter DmaAdapter, Mdl Mdl, Object MapRegisterBase, long CurrentVa, int Length,
            boolean WriteToDevice);

    /**
     * PFREE_ADAPTER_CHANNEL: releases the adapter channel and the map registers allocated with it.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-pfree_adapter_channel
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void FreeAdapterChannel(DmaAdapter DmaAdapter);

    /**
     * PFREE_MAP_REGISTERS: releases map registers kept after DeallocateObjectKeepRegisters.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-pfree_map_registers
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void FreeMapRegisters(DmaAdapter DmaAdapter, Object MapRegisterBase, int NumberOfMapRegisters);

    /**
     * PGET_SCATTER_GATHER_LIST: allocates map registers, maps the buffer and calls
     * ExecutionRoutine with the scatter/gather list.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-pget_scatter_gather_list
     */
    @IrqlRequires(DISPATCH_LEVEL)
    int GetScatterGatherList(DmaAdapter DmaAdapter, DeviceObject DeviceObject, Mdl Mdl, long CurrentVa, int Length,
            DriverListControl ExecutionRoutine, Object Context, boolean WriteToDevice);

    /**
     * PPUT_SCATTER_GATHER_LIST: flushes and frees what GetScatterGatherList allocated.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-pput_scatter_gather_list
     */
    @IrqlRequires(DISPATCH_LEVEL)
    void PutScatterGatherList(DmaAdapter DmaAdapter, ScatterGatherList ScatterGather, boolean WriteToDevice);

    /**
     * PPUT_DMA_ADAPTER: releases the adapter object.
     * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/nc-wdm-pput_dma_adapter
     */
    @IrqlRequires(PASSIVE_LEVEL)
    void PutDmaAdapter(DmaAdapter DmaAdapter);
}
