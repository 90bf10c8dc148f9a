package dev.dpccheck.wdm;

/**
 * SCATTER_GATHER_LIST: the logical address ranges of a mapped buffer.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/wdm/ns-wdm-_scatter_gather_list
 */
public final class ScatterGatherList {
    /** The number of elements. */
    public int NumberOfElements;
    /** The elements. */
    public Element[] Elements = new Element[0];

    /** SCATTER_GATHER_ELEMENT. */
    public static final class Element {
        /** The logical address of the range. */
        public long Address;
        /** The length of the range. */
        public int Length;
    }
}
