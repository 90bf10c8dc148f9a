package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.*;

/** The memory manager's routines (Mm): MDLs, the mapping of device memory, pageable code. */
final class MmRoutines extends Routines {
    MmRoutines(Kernel k) {
        super(k);
    }

    public byte[] MmGetSystemAddressForMdlSafe(Mdl Mdl, int Priority) {
        return k.memory.systemAddress(Mdl);
    }

    public long MmGetMdlVirtualAddress(Mdl Mdl) {
        return Mdl.StartVa + Mdl.ByteOffset;
    }

    public int MmGetMdlByteCount(Mdl Mdl) {
        return Mdl.ByteCount;
    }

    public long MmMapIoSpace(long PhysicalAddress, int NumberOfBytes, int CacheType) {
        for (dev.dpccheck.kernel.hw.SimDevice d : k.devices) {
            dev.dpccheck.kernel.hw.SimDevice.Resources r = d.resources();
            if (!r.ports() && PhysicalAddress >= r.base() && PhysicalAddress + NumberOfBytes <= r.base() + r.length()) {
                return k.memory.mapIoSpace(d, r.length()) + (PhysicalAddress - r.base());
            }
        }
        return 0;
    }

    public void MmUnmapIoSpace(long BaseAddress, int NumberOfBytes) {
        if (!k.memory.unmapIoSpace(BaseAddress)) {
            k.monitor(InvalidObject.class).misused("'MmUnmapIoSpace' is given an address 'MmMapIoSpace' did not return.");
        }
    }

    public void PAGED_CODE() {
        // the IRQL contract on the facade does the check
    }
}
