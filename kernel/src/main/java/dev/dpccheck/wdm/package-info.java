/**
 * The simulated WDM API: what a driver written in Java imports. Routines are the static methods
 * of {@link dev.dpccheck.wdm.Wdm}, structures are classes with the WDK's field names, callback role
 * types are functional interfaces, and IRQL contracts are annotations that mirror SAL.
 */
package dev.dpccheck.wdm;
