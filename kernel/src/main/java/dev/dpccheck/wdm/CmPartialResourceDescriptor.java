package dev.dpccheck.wdm;

/**
 * CM_PARTIAL_RESOURCE_DESCRIPTOR: one resource (register range, port range, interrupt, DMA
 * channel). Which member of {@code u} applies depends on {@link #Type}
 * (CmResourceTypeMemory, CmResourceTypePort, CmResourceTypeInterrupt, CmResourceTypeDma).
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_cm_partial_resource_descriptor
 */
public final class CmPartialResourceDescriptor {
    /** CmResourceType code. */
    public int Type;
    /** CmResourceShare code. */
    public int ShareDisposition;
    /** CM_RESOURCE_ flags, e.g. CM_RESOURCE_INTERRUPT_LATCHED. */
    public int Flags;
    /** The resource itself. */
    public final U u = new U();

    /** The u union. */
    public static final class U {
        /** CmResourceTypeMemory: a memory-mapped register range. */
        public final Range Memory = new Range();
        /** CmResourceTypePort: an I/O port range. */
        public final Range Port = new Range();
        /** CmResourceTypeInterrupt. */
        public final Interrupt Interrupt = new Interrupt();
        /** CmResourceTypeDma. */
        public final Dma Dma = new Dma();
    }

    /** u.Memory and u.Port. */
    public static final class Range {
        /** The first address of the range. */
        public long Start;
        /** The length of the range in bytes. */
        public int Length;
    }

    /** u.Interrupt. */
    public static final class Interrupt {
        /** The DIRQL, for translated resources. */
        public int Level;
        /** The vector. */
        public int Vector;
        /** The processors the interrupt may be delivered to. */
        public long Affinity;
    }

    /** u.Dma. */
    public static final class Dma {
        /** The DMA channel. */
        public int Channel;
        /** The DMA port. */
        public int Port;
    }
}
