package dev.dpccheck.wdm;

/**
 * LIST_ENTRY: a link of a doubly linked list, or a list's head. A record that is put on a list
 * carries its entry, made with {@code new ListEntry(this)} so that {@link Wdm#CONTAINING_RECORD}
 * finds the record again (the Java analog of the C macro's offset arithmetic). The list routines
 * ({@link Wdm#InitializeListHead}, {@link Wdm#InsertTailList}, ...) change the links; a driver
 * does not. A list shared by routines that can run at once must be guarded by a lock, or changed
 * only with the {@code ExInterlocked...List} routines.
 * See https://learn.microsoft.com/windows-hardware/drivers/ddi/ntdef/ns-ntdef-_list_entry
 */
public final class ListEntry {
    /** The next entry; the head when this is the last. Null until the entry is on a list or initialized. */
    public ListEntry Flink;
    /** The previous entry; the head when this is the first. */
    public ListEntry Blink;
    private final Object record;

    /** A list head, or an entry of no record. */
    public ListEntry() {
        this(null);
    }

    /** The entry of {@code record}. */
    public ListEntry(Object record) {
        this.record = record;
    }

    /** The record that carries this entry, or null. */
    Object record() {
        return record;
    }
}
