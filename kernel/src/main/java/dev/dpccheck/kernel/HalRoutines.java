package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.*;

/**
 * The HAL's routines: register and port access, which program the simulated devices, and
 * IoGetDmaAdapter, which hands out the adapter whose DMA operations {@link DmaAdapterObject}
 * carries out.
 */
final class HalRoutines extends Routines {
    HalRoutines(Kernel k) {
        super(k);
    }

    // ---------------------------------------------------------------- DMA adapters

    public DmaAdapter IoGetDmaAdapter(DeviceObject PhysicalDeviceObject, DeviceDescription DeviceDescription,
            Out<Integer> NumberOfMapRegisters) {
        dev.dpccheck.kernel.hw.SimDevice device = k.io.deviceOf(PhysicalDeviceObject);
        if (device == null || !device.resources().busMaster() || DeviceDescription == null || !DeviceDescription.Master) {
            return null;
        }
        DmaAdapterObject a = new DmaAdapterObject(k, device, DeviceDescription.MaximumLength);
        k.adapters.add(a);
        NumberOfMapRegisters.value = a.mapRegistersPerTransfer;
        return a.adapter;
    }

    // ---------------------------------------------------------------- registers and ports

    private MemoryManager.IoMapping register(long va, int width) {
        MemoryManager.IoMapping m = k.memory.ioMappingAt(va, width);
        if (m == null) {
            throw k.monitor(InvalidRegisterAccess.class).register(va);
        }
        return m;
    }

    private int registerRead(long va, int width) {
        MemoryManager.IoMapping m = register(va, width);
        int offset = (int) (va - m.virtualBase());
        checkProgramming(m.device(), offset, null);
        return m.device().read(offset, width);
    }

    private void registerWrite(long va, int width, int value) {
        MemoryManager.IoMapping m = register(va, width);
        checkProgramming(m.device(), (int) (va - m.virtualBase()), "WRITE_REGISTER_" + WIDTH_NAMES[width]);
        // the device's next interrupt follows what programmed it
        k.hb.release(self(), m.device());
        m.device().write((int) (va - m.virtualBase()), width, value);
    }

    private static final String[] WIDTH_NAMES = {"", "UCHAR", "USHORT", "", "ULONG"};

    /** What DeviceProgrammedOutsideSync knows of one device's registers, by offset. */
    private static final class Registers {
        /** The offsets the ISR touches or the driver writes in a SynchCritSection. */
        final java.util.BitSet synchronizedOffsets = new java.util.BitSet();
        /** The stack of a DPC's unsynchronized write, not yet known to be a defect. */
        final java.util.Map<Integer, StackTraceElement[]> unsynchronizedWrites = new java.util.HashMap<>();
    }

    private final java.util.Map<dev.dpccheck.kernel.hw.SimDevice, Registers> registers = new java.util.IdentityHashMap<>();

    /**
     * DeviceProgrammedOutsideSync, as the static rule defines it: a DPC writes a register (or port)
     * of a device whose interrupt is connected without holding that interrupt's spin lock (a
     * SynchCritSection, or KeAcquireInterruptSpinLock), and the ISR reads or writes that register,
     * or the driver writes it in a SynchCritSection elsewhere: the ISR may run in the middle of the
     * programming. A register only DPCs and threads use is not the ISR's. Whichever comes second
     * reports, at the DPC's line. {@code routine} is the write routine, or null for a read.
     */
    private void checkProgramming(dev.dpccheck.kernel.hw.SimDevice device, int offset, String routine) {
        KContext self = self();
        boolean isr = self.kind == KContext.Kind.ISR;
        if (routine == null && !isr) {
            // a read outside the ISR tells nothing (the hot path of a driver polling its status register)
            return;
        }
        RoutineFrame f = self.frame();
        InterruptObject io = null;
        for (InterruptObject candidate : k.interrupts) {
            if (candidate.device == device && candidate.connected) {
                io = candidate;
            }
        }
        if (f == null || io == null) {
            return;
        }
        Registers r = registers.computeIfAbsent(device, d -> new Registers());
        boolean synchronizedWith = isr || self.heldLocks.contains(io.lock);
        if (isr || (synchronizedWith && routine != null)) {
            if (!r.synchronizedOffsets.get(offset)) {
                r.synchronizedOffsets.set(offset);
                StackTraceElement[] dpc = r.unsynchronizedWrites.remove(offset);
                if (dpc != null) {
                    k.monitor(DeviceProgrammedOutsideSync.class).programmedIn(dpc, device.name() + "+" + offset);
                }
            }
        } else if (routine != null && f.role.isDpc() && !synchronizedWith) {
            if (r.synchronizedOffsets.get(offset)) {
                k.monitor(DeviceProgrammedOutsideSync.class).programmed(f.role.wdkName, routine);
            } else {
                // the stack is taken once per register, not at every write
                r.unsynchronizedWrites.computeIfAbsent(offset, o -> new Throwable().getStackTrace());
            }
        }
    }

    private dev.dpccheck.kernel.hw.SimDevice port(long port, int width) {
        for (dev.dpccheck.kernel.hw.SimDevice d : k.devices) {
            dev.dpccheck.kernel.hw.SimDevice.Resources r = d.resources();
            if (r.ports() && port >= r.base() && port + width <= r.base() + r.length()) {
                return d;
            }
        }
        throw k.monitor(InvalidRegisterAccess.class).port(port);
    }

    private int portRead(long port, int width) {
        dev.dpccheck.kernel.hw.SimDevice d = port(port, width);
        int offset = (int) (port - d.resources().base());
        checkProgramming(d, offset, null);
        return d.read(offset, width);
    }

    private void portWrite(long port, int width, int value) {
        dev.dpccheck.kernel.hw.SimDevice d = port(port, width);
        checkProgramming(d, (int) (port - d.resources().base()), "WRITE_PORT_" + WIDTH_NAMES[width]);
        k.hb.release(self(), d);
        d.write((int) (port - d.resources().base()), width, value);
    }

    public byte READ_REGISTER_UCHAR(long Register) {
        return (byte) registerRead(Register, 1);
    }

    public short READ_REGISTER_USHORT(long Register) {
        return (short) registerRead(Register, 2);
    }

    public int READ_REGISTER_ULONG(long Register) {
        return registerRead(Register, 4);
    }

    public void WRITE_REGISTER_UCHAR(long Register, byte Value) {
        registerWrite(Register, 1, Value & 0xFF);
    }

    public void WRITE_REGISTER_USHORT(long Register, short Value) {
        registerWrite(Register, 2, Value & 0xFFFF);
    }

    public void WRITE_REGISTER_ULONG(long Register, int Value) {
        registerWrite(Register, 4, Value);
    }

    public byte READ_PORT_UCHAR(long Port) {
        return (byte) portRead(Port, 1);
    }

    public short READ_PORT_USHORT(long Port) {
        return (short) portRead(Port, 2);
    }

    public int READ_PORT_ULONG(long Port) {
        return portRead(Port, 4);
    }

    public void WRITE_PORT_UCHAR(long Port, byte Value) {
        portWrite(Port, 1, Value & 0xFF);
    }

    public void WRITE_PORT_USHORT(long Port, short Value) {
        portWrite(Port, 2, Value & 0xFFFF);
    }

    public void WRITE_PORT_ULONG(long Port, int Value) {
        portWrite(Port, 4, Value);
    }
}
