package dev.dpccheck.kernel.verifier;

/** A register or port access outside the device's ranges. */
public final class InvalidRegisterAccess extends Monitor {
    public InvalidRegisterAccess() {
        super("InvalidRegisterAccess", Component.HAL,
                "A register or port outside the mapped ranges is accessed.",
                "every register and port access, against the ranges mapped with MmMapIoSpace and the devices' port ranges");
    }

    public RuntimeException register(long address) {
        return bugCheck("A register access at 0x" + Long.toHexString(address)
                + " is outside every range mapped with 'MmMapIoSpace'.");
    }

    public RuntimeException port(long port) {
        return bugCheck("A port access at 0x" + Long.toHexString(port)
                + " is outside every port range of the driver's devices.");
    }
}
