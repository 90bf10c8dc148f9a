package dev.dpccheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dpccheck.wdm.Wdm;
import dev.dpccheck.wdm.spi.KernelServices;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The facade, the service interface and the kernel agree, routine by routine. */
class FacadeMirrorTest {
    @Test
    void everyFacadeRoutineHasItsServiceMethodAndNoMore() throws Exception {
        Set<String> facade = new TreeSet<>();
        for (Method m : Wdm.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("NT_SUCCESS") && !m.getName().equals("CTL_CODE")) {
                KernelServices.class.getMethod(m.getName(), m.getParameterTypes());
                facade.add(m.getName() + m.getParameterCount());
            }
        }
        Set<String> spi = new TreeSet<>();
        for (Method m : KernelServices.class.getDeclaredMethods()) {
            spi.add(m.getName() + m.getParameterCount());
            IrqlContract.of(Wdm.class.getMethod(m.getName(), m.getParameterTypes()));
        }
        assertEquals(facade, spi);
    }

    @Test
    void facadeOutsideTheKernelSaysSo() {
        assertThrows(IllegalStateException.class, () -> Wdm.KeGetCurrentIrql());
    }

    @Test
    void conditionalContractsFollowTheArguments() throws Exception {
        IrqlContract wait = IrqlContract.of(Wdm.class.getMethod("KeWaitForSingleObject", Object.class, int.class,
                int.class, boolean.class, Long.class));
        assertEquals(Wdm.APC_LEVEL, wait.maxFor(new Object[] {null, 0, 0, false, null}));
        assertEquals(Wdm.APC_LEVEL, wait.maxFor(new Object[] {null, 0, 0, false, -10_000L}));
        assertEquals(Wdm.DISPATCH_LEVEL, wait.maxFor(new Object[] {null, 0, 0, false, 0L}));
        IrqlContract pool = IrqlContract.of(Wdm.class.getMethod("ExAllocatePoolWithTag", int.class, long.class, int.class));
        assertEquals(Wdm.APC_LEVEL, pool.maxFor(new Object[] {Wdm.PagedPool, 16L, 0}));
        assertEquals(Wdm.DISPATCH_LEVEL, pool.maxFor(new Object[] {Wdm.NonPagedPool, 16L, 0}));
    }
}
