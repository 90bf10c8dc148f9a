package dev.dpccheck.wdm;

/**
 * An out-parameter holder: what a pointer argument that a WDM routine writes through is in C.
 * {@code PDEVICE_OBJECT* DeviceObject} becomes {@code Out<DeviceObject>}.
 *
 * @param <T> the type of the value written
 */
public final class Out<T> {
    /** The value the routine wrote, or the value passed in for in-out parameters. */
    public T value;

    /** An empty holder. */
    public Out() {
    }

    /** A holder with an initial value, for in-out parameters. */
    public Out(T value) {
        this.value = value;
    }
}
