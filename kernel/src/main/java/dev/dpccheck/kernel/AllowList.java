package dev.dpccheck.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What a driver may use: the load-time check that refuses every class and member a kernel-mode
 * driver has no analog for, the way a compiler refuses an undeclared symbol. A driver may use the
 * WDM API ({@code dev.dpccheck.wdm}, not its {@code spi}), its own classes, and the parts of the
 * JDK that are values and algorithms: boxed values, strings, {@code Math}, arrays, the
 * {@code java.util} collections, {@code java.util.function}, sequential streams, atomics and
 * exceptions. Everything that leaves the simulated machine or escapes its scheduler is refused:
 * {@code System} (but {@code arraycopy}), {@code Runtime}, threads and executors, reflection,
 * class loaders, {@code java.io}, {@code java.nio}, {@code java.net}, processes, system
 * properties, the wall clock and unseeded randomness (they would break exact replay), monitors
 * ({@code synchronized}, {@code wait}: a driver synchronizes with spin locks), and finalizers.
 * A member whose signature names a refused class is refused with it.
 */
final class AllowList {
    /** One refused use: where and what. */
    record Refusal(String file, int line, String message) implements Comparable<Refusal> {
        @Override
        public int compareTo(Refusal o) {
            int c = file.compareTo(o.file);
            if (c == 0) {
                c = Integer.compare(line, o.line);
            }
            return c != 0 ? c : message.compareTo(o.message);
        }

        @Override
        public String toString() {
            return file + ":" + line + ": error: " + message;
        }
    }

    private static final Set<String> LANG = Set.of("Object", "String", "StringBuilder", "StringBuffer",
            "CharSequence", "Appendable", "Boolean", "Byte", "Short", "Character", "Integer", "Long", "Float",
            "Double", "Number", "Void", "Math", "StrictMath", "Comparable", "Iterable", "Enum", "Record",
            "Runnable", "AutoCloseable", "Cloneable", "Override", "Deprecated", "SuppressWarnings",
            "FunctionalInterface", "SafeVarargs", "Class", "System", "Throwable", "StackTraceElement");
    /** java.util classes that read the wall clock, load code or do I/O. */
    private static final Set<String> UTIL_REFUSED = Set.of("Timer", "TimerTask", "Scanner", "ServiceLoader",
            "ResourceBundle", "PropertyResourceBundle", "ListResourceBundle", "Calendar", "GregorianCalendar",
            "TimeZone", "SimpleTimeZone", "Date", "Properties", "Formatter");
    private static final Set<String> BOOTSTRAPS = Set.of("java/lang/invoke/LambdaMetafactory",
            "java/lang/invoke/StringConcatFactory", "java/lang/runtime/ObjectMethods",
            "java/lang/runtime/SwitchBootstraps");
    /** The members of {@code Class} that only describe a class: names, casts and assertion status. */
    private static final Set<String> CLASS_MEMBERS = Set.of("getName", "getSimpleName", "getTypeName",
            "getCanonicalName", "desiredAssertionStatus", "isInstance", "cast", "isArray", "getComponentType",
            "isAssignableFrom", "isEnum", "isInterface", "isPrimitive", "equals", "hashCode", "toString",
            "getClass");

    private final Predicate<String> ownClass;

    /** @param ownClass whether an internal class name is one of the driver's classes (or trusted) */
    AllowList(Predicate<String> ownClass) {
        this.ownClass = ownClass;
    }

    /** Why {@code internalName} may not be used, or null when it may. */
    String refuseClass(String internalName) {
        String n = internalName;
        while (n.startsWith("[")) {
            n = n.substring(1);
        }
        if (n.length() == 1) {
            return null;
        }
        if (n.startsWith("L") && n.endsWith(";")) {
            n = n.substring(1, n.length() - 1);
        }
        if (ownClass.test(n)) {
            return null;
        }
        int slash = n.lastIndexOf('/');
        String pkg = slash < 0 ? "" : n.substring(0, slash);
        String simple = n.substring(slash + 1);
        String top = simple.contains("$") ? simple.substring(0, simple.indexOf('$')) : simple;
        boolean allowed = switch (pkg) {
            case "dev/dpccheck/wdm" -> true;
            case "java/lang" -> LANG.contains(top) || top.endsWith("Exception") || top.endsWith("Error");
            case "java/util" -> !UTIL_REFUSED.contains(top);
            case "java/util/function", "java/util/concurrent/atomic" -> true;
            // StreamSupport builds parallel streams from a flag
            case "java/util/stream" -> !top.equals("StreamSupport");
            case "java/math" -> top.equals("BigInteger") || top.equals("BigDecimal") || top.equals("RoundingMode")
                    || top.equals("MathContext");
            case "java/io" -> top.equals("Serializable");
            default -> false;
        };
        if (allowed) {
            return null;
        }
        String dotted = n.replace('/', '.').replace('$', '.');
        if (pkg.startsWith("dev/dpccheck/")) {
            return "'" + dotted + "' belongs to dpccheck itself; a driver reaches the kernel only through the WDM API";
        }
        if (n.equals("java/lang/Thread") || n.startsWith("java/util/concurrent")) {
            return "'" + dotted + "' is not available to a driver: it has no threads of its own; the kernel runs"
                    + " its routines";
        }
        if (pkg.startsWith("java/lang/reflect") || pkg.startsWith("java/lang/invoke") || n.equals("java/lang/ClassLoader")) {
            return "'" + dotted + "' is not available to a driver: reflection and class loading have no kernel-mode"
                    + " analog";
        }
        if (pkg.startsWith("java/io") || pkg.startsWith("java/nio") || pkg.startsWith("java/net")) {
            return "'" + dotted + "' is not available to a driver: it does I/O outside the simulated machine; use"
                    + " the Zw routines";
        }
        return "'" + dotted + "' is not available to a driver";
    }

    /** Why member {@code owner.name desc} may not be used, or null when it may. */
    String refuseMember(String owner, String name, String desc) {
        String whyOwner = refuseClass(owner);
        if (whyOwner != null) {
            return whyOwner;
        }
        String member = "'" + owner.substring(owner.lastIndexOf('/') + 1).replace('$', '.') + "." + name + "'";
        switch (owner) {
            case "java/lang/System":
                return name.equals("arraycopy") ? null
                        : member + " is not available to a driver: it reaches the host system (exit, properties,"
                                + " environment, streams or the wall clock)";
            case "java/lang/Class":
                return CLASS_MEMBERS.contains(name) ? null
                        : member + " is not available to a driver: reflection has no kernel-mode analog";
            case "java/lang/Math", "java/lang/StrictMath":
                if (name.equals("random")) {
                    return member + " is not available to a driver: unseeded randomness breaks exact replay";
                }
                break;
            case "java/lang/Integer", "java/lang/Long", "java/lang/Boolean":
                if (name.equals("getInteger") || name.equals("getLong") || name.equals("getBoolean")) {
                    return member + " is not available to a driver: it reads system properties";
                }
                break;
            case "java/util/Random", "java/util/SplittableRandom":
                if (name.equals("<init>") && "()V".equals(desc)) {
                    return member + " without a seed is not available to a driver: it breaks exact replay";
                }
                break;
            case "java/util/UUID":
                if (name.equals("randomUUID")) {
                    return member + " is not available to a driver: it breaks exact replay";
                }
                break;
            default:
                break;
        }
        if (!owner.startsWith("dev/dpccheck/wdm/")) {
            // by name, whatever the owner: a driver's own class inherits these from the JDK
            if (name.equals("wait") && desc != null && desc.endsWith(")V")) {
                return member + " is not available to a driver: it blocks outside the kernel; use"
                        + " 'KeWaitForSingleObject'";
            }
            if (name.equals("printStackTrace")) {
                return member + " is not available to a driver: it writes to the host's streams";
            }
            if (PARALLEL.contains(name)) {
                return member + " is not available to a driver: it runs driver code on threads the kernel does not"
                        + " schedule";
            }
        }
        return refuseDescriptor(desc);
    }

    private static final Set<String> PARALLEL = Set.of("parallel", "parallelStream", "parallelSort",
            "parallelSetAll", "parallelPrefix");

    /** Why a field or method descriptor names a class a driver may not use, or null. */
    String refuseDescriptor(String desc) {
        if (desc == null) {
            return null;
        }
        Type t = desc.startsWith("(") ? Type.getMethodType(desc) : Type.getType(desc);
        List<Type> types = new ArrayList<>();
        if (t.getSort() == Type.METHOD) {
            types.addAll(List.of(t.getArgumentTypes()));
            types.add(t.getReturnType());
        } else {
            types.add(t);
        }
        for (Type p : types) {
            if (p.getSort() == Type.OBJECT || p.getSort() == Type.ARRAY) {
                String why = refuseClass(p.getInternalName());
                if (why != null) {
                    return why;
                }
            }
        }
        return null;
    }

    /**
     * Checks one class file; refusals go to {@code out}. {@code file} is the source path reports
     * name.
     */
    void check(byte[] classFile, String file, List<Refusal> out) {
        ClassReader reader = new ClassReader(classFile);
        Set<Refusal> found = new TreeSet<>();
        int[] firstLine = {0};
        List<String> classLevel = new ArrayList<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                if (superName != null) {
                    add(classLevel, refuseClass(superName));
                }
                if (interfaces != null) {
                    for (String i : interfaces) {
                        add(classLevel, refuseClass(i));
                    }
                }
            }

            @Override
            public org.objectweb.asm.FieldVisitor visitField(int access, String name, String desc, String signature,
                    Object value) {
                add(classLevel, refuseDescriptor(desc));
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String mname, String desc, String signature,
                    String[] exceptions) {
                List<String> declared = new ArrayList<>();
                add(declared, refuseDescriptor(desc));
                if (mname.equals("finalize") && desc.equals("()V")) {
                    declared.add("a finalizer is not available to a driver: it runs outside the kernel's control");
                }
                if ((access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                    declared.add("'synchronized' is not available to a driver: it blocks outside the kernel; use a"
                            + " spin lock");
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    private int line;
                    private boolean placed;
                    /** Catch types refused, by handler: reported at the handler's line, which comes later. */
                    private final Map<Label, String> handlers = new HashMap<>();
                    private final List<String> atNextLine = new ArrayList<>();

                    private void refuse(String why) {
                        if (why != null) {
                            found.add(new Refusal(file, line, why + "."));
                        }
                    }

                    @Override
                    public void visitLabel(Label label) {
                        String why = handlers.remove(label);
                        if (why != null) {
                            atNextLine.add(why);
                        }
                    }

                    @Override
                    public void visitLineNumber(int l, Label start) {
                        line = l;
                        atNextLine.forEach(this::refuse);
                        atNextLine.clear();
                        if (firstLine[0] == 0 || l < firstLine[0]) {
                            firstLine[0] = l;
                        }
                        if (!placed) {
                            placed = true;
                            declared.forEach(this::refuse);
                        }
                    }

                    @Override
                    public void visitTypeInsn(int opcode, String type) {
                        refuse(refuseClass(type));
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String owner, String name, String fdesc) {
                        refuse(refuseMember(owner, name, fdesc));
                    }

                    @Override
                    public void visitMethodInsn(int opcode, String owner, String name, String mdesc, boolean itf) {
                        refuse(refuseMember(owner, name, mdesc));
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String name, String idesc, Handle bsm, Object... args) {
                        if (!BOOTSTRAPS.contains(bsm.getOwner())) {
                            refuse("the bootstrap '" + bsm.getOwner().replace('/', '.') + "." + bsm.getName()
                                    + "' is not available to a driver");
                        }
                        refuse(refuseDescriptor(idesc));
                        for (Object a : args) {
                            constant(a);
                        }
                    }

                    private void constant(Object c) {
                        if (c instanceof Type t) {
                            if (t.getSort() == Type.METHOD) {
                                refuse(refuseDescriptor(t.getDescriptor()));
                            } else if (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY) {
                                refuse(refuseClass(t.getInternalName()));
                            }
                        } else if (c instanceof Handle h) {
                            refuse(refuseMember(h.getOwner(), h.getName(), h.getDesc()));
                        } else if (c instanceof ConstantDynamic cd) {
                            refuse("a dynamic constant is not available to a driver");
                        }
                    }

                    @Override
                    public void visitLdcInsn(Object value) {
                        constant(value);
                    }

                    @Override
                    public void visitMultiANewArrayInsn(String desc, int dims) {
                        refuse(refuseClass(desc));
                    }

                    @Override
                    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                        String why = type == null ? null : refuseClass(type);
                        if (why != null) {
                            handlers.putIfAbsent(handler, why);
                        }
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        if (opcode == Opcodes.MONITORENTER) {
                            refuse("'synchronized' is not available to a driver: it blocks outside the kernel; use a"
                                    + " spin lock");
                        }
                    }

                    @Override
                    public void visitEnd() {
                        if (!placed) {
                            declared.forEach(this::refuse);
                        }
                        atNextLine.addAll(handlers.values());
                        atNextLine.forEach(this::refuse);
                    }
                };
            }
        }, 0);
        for (String why : classLevel) {
            found.add(new Refusal(file, firstLine[0], why + "."));
        }
        out.addAll(found);
    }

    private static void add(List<String> to, String why) {
        if (why != null) {
            to.add(why);
        }
    }
}
