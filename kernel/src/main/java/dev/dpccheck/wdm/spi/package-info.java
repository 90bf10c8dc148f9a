/**
 * The service provider interface between the WDM facade and the simulated kernel. Drivers never
 * use it.
 */
package dev.dpccheck.wdm.spi;
