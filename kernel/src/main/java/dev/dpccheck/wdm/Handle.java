package dev.dpccheck.wdm;

/** HANDLE: a kernel handle, as returned by {@link Wdm#ZwCreateFile}. */
public final class Handle {
    /** Created by the kernel only. */
    public Handle() {
    }
}
