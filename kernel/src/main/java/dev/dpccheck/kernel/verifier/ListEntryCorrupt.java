package dev.dpccheck.kernel.verifier;

/** A list routine given a list whose links are broken, never initialized, or an entry already on a list. */
public final class ListEntryCorrupt extends Monitor {
    public ListEntryCorrupt() {
        super("ListEntryCorrupt", Component.RTL,
                "A list's links are corrupt.",
                "the links around every entry the list routines touch: a head never initialized, neighbours that do"
                        + " not point back, an entry inserted while it is still on a list (the kernel's fast-fail"
                        + " check, bug check KERNEL_SECURITY_CHECK_FAILURE)");
    }

    public RuntimeException uninitialized(String routine) {
        return bugCheck(q(routine) + " is given a list head that 'InitializeListHead' never initialized.");
    }

    public RuntimeException broken(String routine) {
        return bugCheck(q(routine) + " finds the links of the list broken: a neighbour does not point back.");
    }

    public RuntimeException alreadyListed(String routine) {
        return bugCheck(q(routine) + " inserts an entry that is still on a list.");
    }
}
