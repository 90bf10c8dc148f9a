package dev.dpccheck.wdm;

/**
 * CONTROLLER_OBJECT: a controller object from {@link Wdm#IoCreateController}, which serializes
 * the I/O of several devices behind one physical controller.
 * See https://learn.microsoft.com/windows-hardware/drivers/kernel/using-controller-objects
 */
public final class ControllerObject {
    /** The controller extension: an instance of the class given to IoCreateController. */
    public Object ControllerExtension;
}
