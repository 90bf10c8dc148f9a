package dev.dpccheck.wdm;

/** DRIVER_EXTENSION: the part of the driver object that holds the AddDevice routine. */
public final class DriverExtension {
    /** The driver's AddDevice routine, set by DriverEntry. */
    public DriverAddDevice AddDevice;
}
