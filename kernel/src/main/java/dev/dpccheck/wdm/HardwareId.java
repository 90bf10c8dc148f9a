package dev.dpccheck.wdm;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a simulated device the driver drives, the way an INF file's models section names a
 * hardware ID. Put it on the class that holds {@code DriverEntry}. The simulated bus enumerates
 * {@link #instances()} devices with this ID and the PnP manager calls the driver's AddDevice
 * for each. Known IDs: {@code SIM\DMADISK} (bus-master DMA disk) and {@code SIM\UART16550}
 * (PIO serial port).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Repeatable(HardwareId.List.class)
public @interface HardwareId {
    /** The hardware ID, e.g. {@code "SIM\\DMADISK"}. */
    String value();

    /** How many devices with this ID the simulated bus enumerates. */
    int instances() default 1;

    /** Container of repeated {@link HardwareId}. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    @interface List {
        /** The repeated annotations. */
        HardwareId[] value();
    }
}
