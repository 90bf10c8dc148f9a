package rules.sharedcontextunsynchronized.goodcleanupafterfailedconnect;

import dev.dpccheck.wdm.*;
import static dev.dpccheck.wdm.Wdm.*;

/**
 * START_DEVICE connects the interrupt; when that fails, it unmaps the registers and clears the
 * fields the ISR uses. Nothing is connected on that path, so nothing can race with the cleanup.
 */
final class GoodCleanupAfterFailedConnect {
    static final class Extension {
        long Registers;
        KInterrupt Interrupt;
        int LastStatus;
    }

    @Role(KServiceRoutine.class)
    boolean Isr(KInterrupt Interrupt, Object Context) {
        Extension ext = (Extension) Context;
        int status = READ_REGISTER_ULONG(ext.Registers + 4);
        if (status == 0) {
            return false;
        }
        ext.LastStatus = status;
        return true;
    }

    @Role(DriverDispatch.class)
    int DispatchPnp(DeviceObject DeviceObject, Irp Irp) {
        Extension ext = (Extension) DeviceObject.DeviceExtension;
        IoStackLocation stack = IoGetCurrentIrpStackLocation(Irp);
        int status = STATUS_SUCCESS;
        if (stack.MinorFunction == IRP_MN_START_DEVICE) {
            CmPartialResourceDescriptor irq = null;
            for (CmPartialResourceDescriptor d : stack.Parameters.StartDevice.AllocatedResourcesTranslated
                    .List[0].PartialResourceList.PartialDescriptors) {
                if (d.Type == CmResourceTypeMemory) {
                    ext.Registers = MmMapIoSpace(d.u.Memory.Start, d.u.Memory.Length, MmNonCached);
                } else if (d.Type == CmResourceTypeInterrupt) {
                    irq = d;
                }
            }
            if (irq == null) {
                status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                Out<KInterrupt> interrupt = new Out<>();
                status = IoConnectInterrupt(interrupt, this::Isr, ext, null, irq.u.Interrupt.Vector,
                        irq.u.Interrupt.Level, irq.u.Interrupt.Level, LevelSensitive, true, irq.u.Interrupt.Affinity,
                        false);
                if (!NT_SUCCESS(status)) {
                    MmUnmapIoSpace(ext.Registers, 0x40);
                    ext.Registers = 0;
                    ext.LastStatus = 0;
                } else {
                    ext.Interrupt = interrupt.value;
                }
            }
        }
        Irp.IoStatus.Status = status;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return status;
    }
}
