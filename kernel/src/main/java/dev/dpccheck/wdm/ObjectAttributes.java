package dev.dpccheck.wdm;

/** OBJECT_ATTRIBUTES: names the object a Zw routine opens; see {@link Wdm#InitializeObjectAttributes}. */
public final class ObjectAttributes {
    /** The object's name. */
    public UnicodeString ObjectName;
    /** OBJ_ attributes, e.g. OBJ_KERNEL_HANDLE. */
    public int Attributes;
}
