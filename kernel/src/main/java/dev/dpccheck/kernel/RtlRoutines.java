package dev.dpccheck.kernel;

import dev.dpccheck.kernel.verifier.*;
import dev.dpccheck.wdm.*;

/**
 * The run-time library's routines (Rtl) on memory, and the doubly linked lists (LIST_ENTRY) that
 * the WDK's inline list functions manage. Every list routine checks the links it touches (a
 * broken list is a fast-fail bug check in Windows) and counts as one access to the list, located
 * at the driver line that called it: a write when it changes the list, a read when it only looks,
 * so that two routines changing one list without a common lock are a DataRace.
 */
final class RtlRoutines extends Routines {
    /** The list heads InitializeListHead initialized: what RemoveEntryList walks to. */
    private final java.util.Set<ListEntry> heads = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    RtlRoutines(Kernel k) {
        super(k);
    }

    // ---------------------------------------------------------------- lists

    public void InitializeListHead(ListEntry ListHead) {
        touch(ListHead, "InitializeListHead");
        heads.add(ListHead);
        ListHead.Flink = ListHead;
        ListHead.Blink = ListHead;
        k.fields.kernelAccess(ListHead, FieldMonitor.LIST, true);
    }

    public boolean IsListEmpty(ListEntry ListHead) {
        head(ListHead, "IsListEmpty", false);
        return ListHead.Flink == ListHead;
    }

    public void InsertTailList(ListEntry ListHead, ListEntry Entry) {
        insert(ListHead, Entry, true, "InsertTailList");
    }

    public void InsertHeadList(ListEntry ListHead, ListEntry Entry) {
        insert(ListHead, Entry, false, "InsertHeadList");
    }

    /** Puts an entry at the end ({@code tail}) or the front of a list, checking both and counting the access. */
    void insert(ListEntry head, ListEntry entry, boolean tail, String routine) {
        head(head, routine, true);
        insertable(entry, routine);
        if (tail) {
            link(head.Blink, entry, head);
        } else {
            link(head, entry, head.Flink);
        }
        parked(entry, routine);
    }

    public ListEntry RemoveHeadList(ListEntry ListHead) {
        head(ListHead, "RemoveHeadList", true);
        return ListHead.Flink == ListHead ? ListHead : taken(unlink(ListHead.Flink, "RemoveHeadList"), "RemoveHeadList");
    }

    public ListEntry RemoveTailList(ListEntry ListHead) {
        head(ListHead, "RemoveTailList", true);
        return ListHead.Blink == ListHead ? ListHead : taken(unlink(ListHead.Blink, "RemoveTailList"), "RemoveTailList");
    }

    public boolean RemoveEntryList(ListEntry Entry) {
        ListEntry head = headOf(Entry, "RemoveEntryList");
        if (head != null) {
            k.fields.kernelAccess(head, FieldMonitor.LIST, true);
        }
        ListEntry before = Entry.Blink;
        taken(unlink(Entry, "RemoveEntryList"), "RemoveEntryList");
        return before.Flink == before.Blink && before.Flink == before;
    }

    /** Checks a list head and counts the access; the list's links must point back at each other. */
    void head(ListEntry head, String routine, boolean write) {
        if (head == null) {
            throw k.monitor(InvalidObject.class).notAnObject(q(routine) + " is given a null list head.");
        }
        touch(head, routine);
        if (head.Flink == null || head.Blink == null) {
            throw k.monitor(ListEntryCorrupt.class).uninitialized(routine);
        }
        if (head.Flink.Blink != head || head.Blink.Flink != head) {
            throw k.monitor(ListEntryCorrupt.class).broken(routine);
        }
        k.fields.kernelAccess(head, FieldMonitor.LIST, write);
    }

    /** An entry to insert must not be on a list (an entry initialized as an empty list of its own is not). */
    void insertable(ListEntry e, String routine) {
        if (e == null) {
            throw k.monitor(InvalidObject.class).notAnObject(q(routine) + " is given a null entry.");
        }
        touch(e, routine);
        if (e.Flink != null && e.Flink != e && e.Flink.Blink == e && e.Blink != null && e.Blink.Flink == e) {
            throw k.monitor(ListEntryCorrupt.class).alreadyListed(routine);
        }
    }

    /** Puts {@code e} between {@code before} and {@code after}. */
    private static void link(ListEntry before, ListEntry e, ListEntry after) {
        e.Flink = after;
        e.Blink = before;
        before.Flink = e;
        after.Blink = e;
    }

    /** Takes {@code e} off its list, checking its neighbours; its own links are left as they were, as Windows does. */
    ListEntry unlink(ListEntry e, String routine) {
        if (e == null || e.Flink == null || e.Blink == null) {
            throw k.monitor(ListEntryCorrupt.class).uninitialized(routine);
        }
        if (e.Flink.Blink != e || e.Blink.Flink != e) {
            throw k.monitor(ListEntryCorrupt.class).broken(routine);
        }
        e.Blink.Flink = e.Flink;
        e.Flink.Blink = e.Blink;
        return e;
    }

    /** An entry put on a list: when it is an IRP's, the driver parked the IRP there. */
    void parked(ListEntry e, String routine) {
        Irp irp = k.io.irpOf(e);
        if (irp != null) {
            k.io.parked(irp, routine);
        }
    }

    /** An entry taken off a list: when it is an IRP's, a DPC may be starting the next request. */
    ListEntry taken(ListEntry e, String routine) {
        k.io.takenOffQueue(e, routine);
        return e;
    }

    /** The initialized head of the list an entry is on, found by following the links; null if none is found. */
    private ListEntry headOf(ListEntry e, String routine) {
        if (e == null) {
            throw k.monitor(InvalidObject.class).notAnObject(q(routine) + " is given a null entry.");
        }
        ListEntry x = e.Flink;
        for (int i = 0; x != null && x != e && i < 1_000_000; i++, x = x.Flink) {
            if (heads.contains(x)) {
                return x;
            }
        }
        return null;
    }

    private static String q(String routine) {
        return "'" + routine + "'";
    }

    // ---------------------------------------------------------------- memory

    void touch(Object buffer, String routine) {
        if (k.memory.isPaged(buffer) && cpu().irql >= Wdm.DISPATCH_LEVEL) {
            k.monitor(IrqlTooHigh.class).pagedPoolTouched(routine, cpu().irql);
        }
    }

    public void RtlCopyMemory(byte[] Destination, int DestinationOffset, byte[] Source, int SourceOffset, int Length) {
        touch(Destination, "RtlCopyMemory");
        touch(Source, "RtlCopyMemory");
        System.arraycopy(Source, SourceOffset, Destination, DestinationOffset, Length);
    }

    public void RtlZeroMemory(byte[] Destination, int Offset, int Length) {
        touch(Destination, "RtlZeroMemory");
        java.util.Arrays.fill(Destination, Offset, Offset + Length, (byte) 0);
    }
}
