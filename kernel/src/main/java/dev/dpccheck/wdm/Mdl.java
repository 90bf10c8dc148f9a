package dev.dpccheck.wdm;

/**
 * MDL: describes the physical pages of a buffer locked for direct I/O. Its addresses are virtual
 * addresses of the simulated address space; drivers reach the bytes through
 * {@link Wdm#MmGetSystemAddressForMdlSafe} or through DMA ({@link DmaOperations#MapTransfer}).
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/using-mdls
 */
public final class Mdl {
    /** The next MDL of a chain, or null. */
    public Mdl Next;
    /** The page-aligned virtual address the buffer starts in. */
    public long StartVa;
    /** The offset of the buffer within its first page. */
    public int ByteOffset;
    /** The length of the buffer in bytes. */
    public int ByteCount;

    /** MDLs are built by the I/O manager. */
    public Mdl() {
    }
}
