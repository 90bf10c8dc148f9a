package dev.dpccheck.kernel;

import dev.dpccheck.wdm.DriverObject;
import dev.dpccheck.wdm.HardwareId;
import dev.dpccheck.wdm.UnicodeString;
import dev.dpccheck.wdm.Wdm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * A driver ready to run: its sources compiled in memory against the WDM API (javax.tools), its
 * classes instrumented with ASM (entry and exit hooks on every method, a hook on every backward
 * branch), and a fresh class loader per schedule so that static state never leaks between
 * schedules.
 */
public final class DriverImage {
    private static final String HOOKS = Type.getInternalName(Hooks.class);

    private final String name;
    private final Path root;
    private final Map<String, byte[]> classes;
    private final Map<String, String> sourceOf;
    private final String driverClass;
    private final List<String> hardwareIds = new ArrayList<>();
    private final Map<String, Integer> instances = new TreeMap<>();
    private final List<String[]> methods = new ArrayList<>();
    /** Method ids by {@link #methodKey}. */
    private final Map<String, Integer> methodIds = new java.util.HashMap<>();
    /** Observed instance fields: owner internal name and field name, by field id. */
    private final List<String[]> fields = new ArrayList<>();
    private final Map<String, Integer> fieldIds = new TreeMap<>();
    private final Set<String> driverClassNames;
    /** Where the driver's loaders find the API and the extra classpath. */
    private final ClassLoader parent;
    private IrqlContract[] contracts;
    private ClassLoader probeLoader;
    private String sourceHash = "";

    /** Compiling failed; the message holds the compiler's diagnostics. */
    public static final class CompileException extends Exception {
        CompileException(String message) {
            super(message);
        }
    }

    /**
     * The driver uses what a kernel-mode driver has no analog for; the message holds one
     * {@code file:line: error: ...} line per use, as a compiler reports undeclared symbols.
     */
    public static final class RefusedException extends Exception {
        private final int count;

        RefusedException(List<AllowList.Refusal> refusals) {
            super(refusals.stream().map(AllowList.Refusal::toString).collect(Collectors.joining("\n")));
            this.count = refusals.size();
        }

        /** The number of refused uses. */
        public int count() {
            return count;
        }
    }

    /** For tests of the isolation behind the allow list: every class trusted, nothing checked. */
    static final Predicate<String> TRUST_ALL = n -> true;

    /** PATH holds no driver: no Java source, or no class with DriverEntry and a hardware ID. */
    public static final class NoDriverException extends Exception {
        NoDriverException(String message) {
            super(message);
        }
    }

    private DriverImage(String name, Path root, Map<String, byte[]> compiled, Map<String, String> sourceOf,
            ClassLoader extra, Predicate<String> trusted, Goal probes) throws NoDriverException, RefusedException {
        this.probeGoal = probes;
        this.name = name;
        this.root = root;
        this.sourceOf = sourceOf;
        this.classes = new TreeMap<>();
        this.driverClassNames = Set.copyOf(compiled.keySet());
        AllowList allow = new AllowList(n -> driverClassNames.contains(n.replace('/', '.')) || trusted.test(n));
        List<AllowList.Refusal> refused = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : trusted == TRUST_ALL ? Map.<String, byte[]>of().entrySet()
                : compiled.entrySet()) {
            String file = sourceOfClass(e.getKey());
            allow.check(e.getValue(), file != null ? file : e.getKey().replace('.', '/') + ".class", refused);
        }
        if (!refused.isEmpty()) {
            refused.sort(null);
            throw new RefusedException(refused);
        }
        this.parent = new SandboxParent(extra, trusted);
        for (Map.Entry<String, byte[]> e : compiled.entrySet()) {
            classes.put(e.getKey(), instrument(e.getValue()));
        }
        ClassLoader probe = newLoader();
        String found = null;
        for (String cn : classes.keySet()) {
            try {
                Class<?> c = Class.forName(cn, false, probe);
                if (findDriverEntry(c) != null && c.getAnnotationsByType(HardwareId.class).length > 0) {
                    if (found != null) {
                        throw new NoDriverException("'" + root + "' holds two drivers: '" + found + "' and '" + cn + "'");
                    }
                    found = cn;
                    for (HardwareId h : c.getAnnotationsByType(HardwareId.class)) {
                        String id = h.value().toUpperCase(Locale.ROOT);
                        if (!Bus.hardwareIds().contains(id)) {
                            throw new NoDriverException("'" + cn + "' binds hardware ID '" + h.value()
                                    + "', which no simulated device has; known: " + String.join(", ", Bus.hardwareIds()));
                        }
                        hardwareIds.add(id);
                        instances.merge(id, Math.max(1, h.instances()), Integer::sum);
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // a class that does not load is not the driver class
            }
        }
        if (found == null) {
            throw new NoDriverException("'" + root + "' holds no driver: no class has a 'DriverEntry(DriverObject,"
                    + " UnicodeString)' method and a '@HardwareId' annotation");
        }
        this.driverClass = found;
        this.probeLoader = probe;
    }

    /** Compiles every {@code .java} file under {@code root} and prepares the driver in it. */
    public static DriverImage compile(Path root)
            throws IOException, CompileException, NoDriverException, RefusedException {
        return compile(root, null, n -> false);
    }

    /**
     * Compiles every {@code .java} file under {@code root} against the WDM API and {@code classpath}
     * (more classes the driver compiles against, in the platform's path syntax; null for none).
     * {@code trusted} names (internal names) the classes of that classpath the driver may use at
     * run time; every other class outside the allow list is refused.
     */
    static DriverImage compile(Path root, String classpath, Predicate<String> trusted)
            throws IOException, CompileException, NoDriverException, RefusedException {
        return compile(root, classpath, trusted, null);
    }

    /**
     * As {@link #compile(Path, String, Predicate)}, with a probe at each line of {@code probes} (or
     * none), so that a run counts how often each ran ({@link LineCoverage}).
     */
    static DriverImage compile(Path root, String classpath, Predicate<String> trusted, Goal probes)
            throws IOException, CompileException, NoDriverException, RefusedException {
        if (!Files.exists(root)) {
            throw new NoDriverException("'" + root + "' does not exist");
        }
        List<Path> sources;
        try (Stream<Path> s = Files.isDirectory(root) ? Files.walk(root) : Stream.of(root)) {
            sources = s.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).sorted()
                    .collect(Collectors.toList());
        } catch (java.io.UncheckedIOException e) {
            // an unreadable directory under root: the walk cannot say which files it would have held
            throw e.getCause();
        }
        if (sources.isEmpty()) {
            throw new NoDriverException("'" + root + "' holds no Java source file");
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new CompileException("this Java runtime has no compiler; run dpccheck with a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> out = new TreeMap<>();
        Map<String, String> sourceOf = new TreeMap<>();
        Path base = Files.isDirectory(root) ? root : root.getParent() == null ? Paths.get(".") : root.getParent();
        try (StandardJavaFileManager std = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            ForwardingJavaFileManager<StandardJavaFileManager> fm = new ForwardingJavaFileManager<>(std) {
                @Override
                public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                        FileObject sibling) {
                    if (sibling != null) {
                        sourceOf.put(className, relative(root, base, Paths.get(sibling.toUri())));
                    }
                    return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"),
                            kind) {
                        @Override
                        public OutputStream openOutputStream() {
                            ByteArrayOutputStream b = new ByteArrayOutputStream();
                            out.put(className, b);
                            return b;
                        }
                    };
                }
            };
            List<String> options = List.of("-g", "-parameters", "-proc:none", "-Xlint:none", "--release", "17",
                    "-classpath", classpath == null ? apiClasspath()
                            : apiClasspath() + java.io.File.pathSeparator + classpath);
            Boolean ok = compiler.getTask(null, fm, diagnostics, options, null,
                    std.getJavaFileObjectsFromPaths(sources)).call();
            if (!ok) {
                StringBuilder sb = new StringBuilder();
                for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                    if (d.getKind() == Diagnostic.Kind.ERROR) {
                        String file = d.getSource() == null ? "?" : relative(root, base, Paths.get(d.getSource().toUri()));
                        sb.append(file).append(':').append(d.getLineNumber()).append(": error: ")
                                .append(d.getMessage(Locale.ROOT)).append('\n');
                    }
                }
                throw new CompileException(sb.toString().trim());
            }
        }
        Map<String, byte[]> compiled = new TreeMap<>();
        out.forEach((k, v) -> compiled.put(k, v.toByteArray()));
        String name = (Files.isDirectory(root) ? root : base).toAbsolutePath().normalize().getFileName().toString();
        ClassLoader parent = null;
        if (classpath != null) {
            List<java.net.URL> urls = new ArrayList<>();
            for (String entry : classpath.split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    urls.add(Paths.get(entry).toUri().toURL());
                }
            }
            parent = new java.net.URLClassLoader(urls.toArray(new java.net.URL[0]), DriverImage.class.getClassLoader());
        }
        DriverImage image = new DriverImage(name, root, compiled, sourceOf, parent, trusted, probes);
        image.sourceHash = hash(sources, base);
        return image;
    }

    /** A SHA-256 of the sources, each with its path relative to the driver's directory, in path order. */
    private static String hash(List<Path> sources, Path base) throws IOException {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            for (Path p : sources) {
                md.update(base.toAbsolutePath().normalize().relativize(p.toAbsolutePath().normalize()).toString()
                        .replace('\\', '/').getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(Files.readAllBytes(p));
                md.update((byte) 0);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash of the driver's sources, which a trace records so that a replay can tell they changed. */
    String sourceHash() {
        return sourceHash;
    }

    private static String relative(Path root, Path base, Path file) {
        // the driver's path as given ("csq", "../drivers/csq"), so that reports name files as audit does; "." shows nothing
        Path display = root.normalize().toString().isEmpty() ? Paths.get("") : root;
        if (!Files.isDirectory(root)) {
            display = base;
        }
        try {
            return display.resolve(base.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()))
                    .toString().replace('\\', '/');
        } catch (IllegalArgumentException e) {
            return file.toString();
        }
    }

    /** The classpath drivers compile against: the location of the WDM API. */
    static String apiClasspath() {
        try {
            return Paths.get(Wdm.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            return System.getProperty("java.class.path");
        }
    }

    private static Method findDriverEntry(Class<?> c) {
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals("DriverEntry") && m.getReturnType() == int.class && m.getParameterCount() == 2
                    && m.getParameterTypes()[0] == DriverObject.class && m.getParameterTypes()[1] == UnicodeString.class) {
                return m;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- what the kernel asks

    /** The driver's name: the directory it came from. */
    public String name() {
        return name;
    }

    /** The root the sources were read from. */
    public Path root() {
        return root;
    }

    List<String> hardwareIds() {
        return new ArrayList<>(instances.keySet());
    }

    int instances(String id) {
        return instances.getOrDefault(id, 0);
    }

    private ClassLoader newLoader() {
        return new ClassLoader(parent) {
            @Override
            protected Class<?> loadClass(String cn, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(cn)) {
                    byte[] b = classes.get(cn);
                    if (b == null) {
                        return super.loadClass(cn, resolve);
                    }
                    Class<?> c = findLoadedClass(cn);
                    if (c == null) {
                        c = defineClass(cn, b, 0, b.length);
                    }
                    return c;
                }
            }
        };
    }

    /** Loads a fresh copy of the driver's classes and calls its DriverEntry. */
    int driverEntry(DriverObject driver, UnicodeString registryPath) {
        try {
            Class<?> c = Class.forName(driverClass, true, newLoader());
            Method m = findDriverEntry(c);
            m.setAccessible(true);
            Object target = null;
            if (!Modifier.isStatic(m.getModifiers())) {
                var ctor = c.getDeclaredConstructor();
                ctor.setAccessible(true);
                target = ctor.newInstance();
            }
            return (Integer) m.invoke(target, driver, registryPath);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot start the driver: " + e, e);
        }
    }

    /** The innermost frame of driver code in {@code trace}, or null. */
    StackTraceElement driverFrame(StackTraceElement[] trace) {
        for (StackTraceElement e : trace) {
            if (classes.containsKey(e.getClassName()) && e.getLineNumber() > 0) {
                return e;
            }
        }
        return null;
    }

    /**
     * The frames of instrumented driver methods in {@code trace}, innermost first: the frames the
     * kernel counts in a context's driver depth (constructors and static initializers are not).
     */
    List<StackTraceElement> driverFrames(StackTraceElement[] trace) {
        List<StackTraceElement> out = new ArrayList<>();
        for (StackTraceElement e : trace) {
            if (classes.containsKey(e.getClassName()) && !e.getMethodName().equals("<init>")
                    && !e.getMethodName().equals("<clinit>")) {
                out.add(e);
            }
        }
        return out;
    }

    /** The source path of a driver frame, relative as the user gave it. */
    String sourcePath(StackTraceElement frame) {
        String path = sourceOfClass(frame.getClassName());
        return path != null ? path : frame.getFileName();
    }

    /** The source path of a driver class (a nested class: of its top-level class), or null. */
    private String sourceOfClass(String cn) {
        String path = sourceOf.get(cn);
        int dollar = cn.indexOf('$');
        if (path == null && dollar > 0) {
            path = sourceOf.get(cn.substring(0, dollar));
        }
        return path;
    }

    /**
     * The parent of the driver's class loaders: it exposes the JDK, the WDM API (not its SPI), the
     * hooks the instrumentation calls, and the trusted classes of the extra classpath; nothing
     * else of dpccheck is reachable from driver code, whatever the driver names.
     */
    private static final class SandboxParent extends ClassLoader {
        private static final ClassLoader KERNEL = DriverImage.class.getClassLoader();
        private final ClassLoader extra;
        private final Predicate<String> trusted;

        SandboxParent(ClassLoader extra, Predicate<String> trusted) {
            super(null);
            this.extra = extra;
            this.trusted = trusted;
        }

        @Override
        protected Class<?> loadClass(String cn, boolean resolve) throws ClassNotFoundException {
            if (cn.startsWith("java.")) {
                return ClassLoader.getPlatformClassLoader().loadClass(cn);
            }
            if ((cn.startsWith("dev.dpccheck.wdm.") && cn.indexOf('.', "dev.dpccheck.wdm.".length()) < 0)
                    || cn.equals(Hooks.class.getName())) {
                return KERNEL.loadClass(cn);
            }
            if (extra != null && trusted.test(cn.replace('.', '/'))) {
                return extra.loadClass(cn);
            }
            throw new ClassNotFoundException(cn + " is not available to a driver");
        }
    }

    synchronized IrqlContract contract(int methodId) {
        if (contracts == null) {
            contracts = new IrqlContract[methods.size()];
        }
        IrqlContract c = contracts[methodId];
        if (c == null) {
            c = IrqlContract.NONE;
            String[] m = methods.get(methodId);
            try {
                Class<?> owner = Class.forName(m[0].replace('/', '.'), false, probeLoader);
                for (Method candidate : owner.getDeclaredMethods()) {
                    if (candidate.getName().equals(m[1]) && Type.getMethodDescriptor(candidate).equals(m[2])) {
                        c = IrqlContract.of(candidate);
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                c = IrqlContract.NONE;
            }
            contracts[methodId] = c;
        }
        return c;
    }

    /** The number of observed fields; field ids run from 0 to this minus one. */
    int fieldCount() {
        return fields.size();
    }

    /** Access sites: the method id, the line and the field id (or -1) of each instrumented access, by site id. */
    private final List<int[]> sites = new ArrayList<>();

    private synchronized int site(int methodId, int line, int fieldId) {
        sites.add(new int[] {methodId, line, fieldId});
        return sites.size() - 1;
    }

    /** Sites of kernel routines' accesses on the driver's behalf, by the driver frame that called them. */
    private final Map<StackTraceElement, Integer> callSites = new java.util.HashMap<>();

    /**
     * The site id of a driver frame that called a kernel routine which accesses memory for it (a
     * list routine changing the links of the driver's list), so that a race names that line; -1
     * when the frame is not in an instrumented method.
     */
    synchronized int siteOf(StackTraceElement frame) {
        if (frame == null) {
            return -1;
        }
        Integer id = callSites.get(frame);
        if (id == null) {
            String owner = frame.getClassName().replace('.', '/');
            id = -1;
            for (int m = 0; m < methods.size(); m++) {
                if (methods.get(m)[0].equals(owner) && methods.get(m)[1].equals(frame.getMethodName())) {
                    id = site(m, frame.getLineNumber(), -1);
                    break;
                }
            }
            callSites.put(frame, id);
        }
        return id;
    }

    /** The source position of an access site, as a stack frame would name it; null for an unknown id. */
    StackTraceElement site(int siteId) {
        if (siteId < 0 || siteId >= sites.size()) {
            return null;
        }
        int[] x = sites.get(siteId);
        String[] m = methods.get(x[0]);
        String cn = m[0].replace('/', '.');
        String path = sourceOfClass(cn);
        String file = path == null ? null : path.substring(path.lastIndexOf('/') + 1);
        return new StackTraceElement(cn, m[1], file, x[1]);
    }

    /** The file of a driver frame, as violations name it. */
    String sourceName(StackTraceElement frame) {
        String path = sourcePath(frame);
        return path == null ? "?" : path;
    }

    /** The field's own name. */
    String fieldSimpleName(int fieldId) {
        return fields.get(fieldId)[1];
    }

    /** {@code Class.field} for reports. */
    String fieldName(int fieldId) {
        String[] f = fields.get(fieldId);
        String owner = f[0].substring(f[0].lastIndexOf('/') + 1);
        return owner.substring(owner.lastIndexOf('$') + 1) + "." + f[1];
    }

    /** What kind of object a field belongs to, which decides the monitors that look at it. */
    FieldKind fieldKind(int fieldId) {
        String[] f = fields.get(fieldId);
        if (f[0].equals(IRP)) {
            return FieldKind.IRP;
        }
        if (f[0].equals(DEVICE_OBJECT)) {
            return FieldKind.CURRENT_IRP;
        }
        if (f[0].equals(ERROR_LOG_PACKET)) {
            return FieldKind.ERROR_LOG_ENTRY;
        }
        if (f[0].equals(IO_STATUS_BLOCK)) {
            return FieldKind.IO_STATUS;
        }
        return FieldKind.DRIVER;
    }

    enum FieldKind {
        /** A field of a class of the driver: device extensions and every context object. */
        DRIVER,
        /** A field of an IRP, which is not the driver's once completed. */
        IRP,
        /** {@code DeviceObject.CurrentIrp}, per-operation context the I/O manager writes. */
        CURRENT_IRP,
        /** A field of an error log entry, which is the system's once written. */
        ERROR_LOG_ENTRY,
        /** {@code IoStatusBlock.Status}: an IRP's status being set. */
        IO_STATUS
    }

    private static final String IRP = Type.getInternalName(dev.dpccheck.wdm.Irp.class);
    private static final String DEVICE_OBJECT = Type.getInternalName(dev.dpccheck.wdm.DeviceObject.class);
    private static final String ERROR_LOG_PACKET = Type.getInternalName(dev.dpccheck.wdm.IoErrorLogPacket.class);
    private static final String IO_STATUS_BLOCK = Type.getInternalName(dev.dpccheck.wdm.IoStatusBlock.class);

    /**
     * The id of an observed field, or -1 for a field no monitor looks at: the instance and static
     * fields of the driver's classes, and the fields of the API's objects that monitors watch.
     */
    private int fieldId(String owner, String name, boolean isStatic) {
        boolean driverClass = driverClassNames.contains(owner.replace('/', '.'));
        boolean observed = driverClass || (!isStatic && (owner.equals(IRP)
                || owner.equals(ERROR_LOG_PACKET) || (owner.equals(DEVICE_OBJECT) && name.equals("CurrentIrp"))
                || (owner.equals(IO_STATUS_BLOCK) && name.equals("Status"))));
        if (!observed) {
            return -1;
        }
        return fieldIds.computeIfAbsent(owner + "." + name, k -> {
            fields.add(new String[] {owner, name});
            return fields.size() - 1;
        });
    }

    /** By method id: the first and last source line of the method. */
    private final List<int[]> methodLines = new ArrayList<>();

    /**
     * Which of the driver's methods ran, as {@code audit --validate} tells a finding's line that
     * never ran (in a method never entered) from one that ran without the violation.
     *
     * @param file the source path, as violations name it
     * @param method {@code Class.method}
     * @param firstLine the method's first line
     * @param lastLine its last line
     * @param entered whether any schedule entered it
     */
    public record Coverage(String file, String method, int firstLine, int lastLine, boolean entered) {
    }

    /**
     * Where the goal's lines are in this image: the methods whose lines hold one, and the fields
     * accessed at one.
     */
    synchronized Goal.Focus focus(Goal goal) {
        java.util.BitSet m = new java.util.BitSet();
        java.util.BitSet f = new java.util.BitSet();
        String[] files = new String[methods.size()];
        for (int id = 0; id < methods.size(); id++) {
            String path = sourceOfClass(methods.get(id)[0].replace('/', '.'));
            files[id] = path == null ? null : Goal.absolute(path);
            java.util.BitSet lines = files[id] == null ? null : goal.linesOf(files[id]);
            int[] range = methodLines.get(id);
            if (lines != null && range[1] > 0) {
                int next = lines.nextSetBit(range[0]);
                if (next >= 0 && next <= range[1]) {
                    m.set(id);
                }
            }
        }
        for (int[] s : sites) {
            if (s[2] >= 0 && files[s[0]] != null && goal.covers(files[s[0]], s[1])) {
                f.set(s[2]);
            }
        }
        return new Goal.Focus(m, f);
    }

    /** The lines a run counts, or null; and by probe id, the file (absolute) and line of each probe. */
    private final Goal probeGoal;
    private final List<String> probeFiles = new ArrayList<>();
    private final List<Integer> probeLines = new ArrayList<>();
    private final Map<String, Integer> probeIds = new java.util.HashMap<>();

    /** The probe id of a line of the goal's ({@code file} absolute), or -1 for a line the run does not count. */
    private synchronized int probe(String file, int line) {
        if (probeGoal == null || !probeGoal.covers(file, line)) {
            return -1;
        }
        return probeIds.computeIfAbsent(file + ":" + line, k -> {
            probeFiles.add(file);
            probeLines.add(line);
            return probeFiles.size() - 1;
        });
    }

    /** The number of line probes; probe ids run from 0 to this minus one. */
    synchronized int probeCount() {
        return probeFiles.size();
    }

    /**
     * How often a line the run was asked to count ran ({@code audit --validate}: the line of a
     * finding, and of its witness), over all schedules.
     *
     * @param file the source file, absolute
     * @param line the line
     * @param schedules the schedules in which it ran
     * @param hits how many times it ran in all
     */
    public record LineCoverage(String file, int line, int schedules, long hits) {
    }

    /** The coverage of the probed lines, given each probe's schedules and hits. */
    synchronized List<LineCoverage> lineCoverage(int[] schedules, long[] hits) {
        List<LineCoverage> out = new ArrayList<>();
        for (int id = 0; id < probeFiles.size(); id++) {
            out.add(new LineCoverage(probeFiles.get(id), probeLines.get(id), schedules[id], hits[id]));
        }
        out.sort(java.util.Comparator.comparing(LineCoverage::file).thenComparingInt(LineCoverage::line));
        return out;
    }

    /** The coverage of the instrumented methods with line numbers, given the ids of those entered. */
    synchronized List<Coverage> coverage(java.util.BitSet entered) {
        List<Coverage> out = new ArrayList<>();
        for (int id = 0; id < methods.size(); id++) {
            int[] range = methodLines.get(id);
            if (range[1] == 0) {
                continue;
            }
            String cn = methods.get(id)[0].replace('/', '.');
            String path = sourceOfClass(cn);
            if (path != null) {
                out.add(new Coverage(path, methodName(id), range[0], range[1], entered.get(id)));
            }
        }
        return out;
    }

    String methodName(int methodId) {
        String[] m = methods.get(methodId);
        return m[0].substring(m[0].lastIndexOf('/') + 1) + "." + m[1];
    }

    /** A driver method's name alone, {@code BlkDpcForIsr}. */
    String methodSimpleName(int methodId) {
        return methods.get(methodId)[1];
    }

    // ---------------------------------------------------------------- instrumentation

    private byte[] instrument(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
        String owner = reader.getClassName();
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String mname, String desc, String sig, String[] exc) {
                MethodVisitor mv = super.visitMethod(access, mname, desc, sig, exc);
                if (mv == null || (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                    return mv;
                }
                if (mname.equals("<clinit>") || mname.equals("<init>")) {
                    // no routine frames for initializers, but a loop in one is bounded like any other
                    return new BackEdgeHooks(mv);
                }
                int id = methods.size();
                methods.add(new String[] {owner, mname, desc});
                methodIds.put(owner + "." + mname + desc, id);
                methodLines.add(new int[] {Integer.MAX_VALUE, 0});
                boolean returnsInt = Type.getReturnType(desc).getSort() == Type.INT;
                MethodVisitor hooked = new BackEdgeHooks(mv) {
                    private int line;

                    @Override
                    public org.objectweb.asm.AnnotationVisitor visitAnnotation(String adesc, boolean visible) {
                        org.objectweb.asm.AnnotationVisitor av = super.visitAnnotation(adesc, visible);
                        if (!adesc.equals(ROLE)) {
                            return av;
                        }
                        return new org.objectweb.asm.AnnotationVisitor(Opcodes.ASM9, av) {
                            @Override
                            public void visit(String aname, Object value) {
                                if (value instanceof Type t && CANCEL_ROLES.contains(t.getDescriptor())) {
                                    cancelRoutines.add(owner + "." + mname + desc);
                                }
                                super.visit(aname, value);
                            }
                        };
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String iname, String idesc, org.objectweb.asm.Handle bsm,
                            Object... args) {
                        // a lambda or method reference made a cancel routine: its implementation is one
                        if (CANCEL_ROLES.contains(Type.getReturnType(idesc).getDescriptor()) && args.length > 1
                                && args[1] instanceof org.objectweb.asm.Handle impl) {
                            cancelRoutines.add(impl.getOwner() + "." + impl.getName() + impl.getDesc());
                        }
                        super.visitInvokeDynamicInsn(iname, idesc, bsm, args);
                    }

                    @Override
                    public void visitLineNumber(int number, Label start) {
                        line = number;
                        int[] range = methodLines.get(id);
                        range[0] = Math.min(range[0], number);
                        range[1] = Math.max(range[1], number);
                        super.visitLineNumber(number, start);
                    }

                    /**
                     * A new access site of this method at the current line, of field {@code fid} (-1
                     * for an array element), pushed as the hook's last argument.
                     */
                    private void pushSite(int fid) {
                        super.visitLdcInsn(site(id, line, fid));
                    }

                    @Override
                    public void visitCode() {
                        super.visitCode();
                        super.visitLdcInsn(id);
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "enter", "(I)V", false);
                    }

                    @Override
                    public void visitFieldInsn(int opcode, String fowner, String fname, String fdesc) {
                        int fid = fieldId(fowner, fname, opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC);
                        if (fid < 0) {
                            super.visitFieldInsn(opcode, fowner, fname, fdesc);
                            return;
                        }
                        Type t = Type.getType(fdesc);
                        String value = valueDescriptor(t);
                        switch (opcode) {
                            case Opcodes.GETFIELD:
                                // ..., obj -> ..., obj, obj
                                super.visitInsn(Opcodes.DUP);
                                super.visitLdcInsn(fid);
                                pushSite(fid);
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "read", "(Ljava/lang/Object;II)V", false);
                                break;
                            case Opcodes.PUTFIELD:
                                if (t.getSize() == 1) {
                                    // ..., obj, value -> ..., obj, value, obj, value
                                    super.visitInsn(Opcodes.DUP2);
                                } else {
                                    // ..., obj, value2 -> ..., obj, value2, obj, value2
                                    super.visitInsn(Opcodes.DUP2_X1);
                                    super.visitInsn(Opcodes.POP2);
                                    super.visitInsn(Opcodes.DUP_X2);
                                    super.visitInsn(Opcodes.DUP_X2);
                                    super.visitInsn(Opcodes.POP);
                                    super.visitInsn(Opcodes.DUP2_X1);
                                }
                                super.visitLdcInsn(fid);
                                pushSite(fid);
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "write",
                                        "(Ljava/lang/Object;" + value + "II)V", false);
                                break;
                            case Opcodes.GETSTATIC:
                                super.visitLdcInsn(Type.getObjectType(fowner));
                                super.visitLdcInsn(fid);
                                pushSite(fid);
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "readStatic", "(Ljava/lang/Class;II)V",
                                        false);
                                break;
                            default:
                                // PUTSTATIC: ..., value -> ..., value, value
                                super.visitInsn(t.getSize() == 1 ? Opcodes.DUP : Opcodes.DUP2);
                                super.visitLdcInsn(Type.getObjectType(fowner));
                                super.visitLdcInsn(fid);
                                pushSite(fid);
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "writeStatic",
                                        "(" + value + "Ljava/lang/Class;II)V", false);
                                break;
                        }
                        super.visitFieldInsn(opcode, fowner, fname, fdesc);
                    }

                    @Override
                    public void visitInsn(int opcode) {
                        String store = ARRAY_STORES.get(opcode);
                        if (store != null) {
                            pushSite(-1);
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, store.substring(0, 7),
                                    store.replace(")V", "I)V").substring(7), false);
                            return;
                        }
                        if (opcode >= Opcodes.IALOAD && opcode <= Opcodes.SALOAD) {
                            // ..., array, index -> ..., array, index, array, index
                            super.visitInsn(Opcodes.DUP2);
                            pushSite(-1);
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "arrayRead", "(Ljava/lang/Object;II)V",
                                    false);
                        }
                        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
                            if (opcode == Opcodes.IRETURN && returnsInt) {
                                super.visitInsn(Opcodes.DUP);
                                super.visitLdcInsn(id);
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "exitInt", "(II)V", false);
                            } else {
                                super.visitLdcInsn(id);
                                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "exit", "(I)V", false);
                            }
                        }
                        super.visitInsn(opcode);
                    }
                };
                String source = probeGoal == null ? null : sourceOfClass(owner.replace('/', '.'));
                return source == null ? hooked : new LineProbes(hooked, Goal.absolute(source));
            }
        }, 0);
        return writer.toByteArray();
    }

    private static final String ROLE = "Ldev/dpccheck/wdm/Role;";
    /** The roles of routines that run when a request is cancelled. */
    private static final Set<String> CANCEL_ROLES = Set.of("Ldev/dpccheck/wdm/DriverCancel;",
            "Ldev/dpccheck/wdm/CsqCompleteCanceledIrp;");
    /**
     * The methods that are cancel routines ({@link #methodKey}): declared with {@code @Role}, or
     * made one by a lambda or method reference of a cancel role's type.
     */
    private final Set<String> cancelRoutines = new HashSet<>();

    /** A method's name across images and traces: {@code owner/Class.name(descriptor)}. */
    synchronized String methodKey(int methodId) {
        String[] m = methods.get(methodId);
        return m[0] + "." + m[1] + m[2];
    }

    /** The id of the method {@link #methodKey} names, or -1. */
    synchronized int methodId(String key) {
        return methodIds.getOrDefault(key, -1);
    }

    /** Whether one of the methods is a cancel routine. */
    synchronized boolean anyCancelRoutine(java.util.BitSet methodIds) {
        return methodIds.stream().anyMatch(id -> cancelRoutines.contains(methodKey(id)));
    }

    /** The hooks that replace the array store instructions: name (7 characters) and descriptor. */
    private static final Map<Integer, String> ARRAY_STORES = Map.of(
            Opcodes.IASTORE, "iastore([III)V",
            Opcodes.LASTORE, "lastore([JIJ)V",
            Opcodes.FASTORE, "fastore([FIF)V",
            Opcodes.DASTORE, "dastore([DID)V",
            Opcodes.AASTORE, "aastore([Ljava/lang/Object;ILjava/lang/Object;)V",
            Opcodes.BASTORE, "bastore(Ljava/lang/Object;II)V",
            Opcodes.CASTORE, "castore([CII)V",
            Opcodes.SASTORE, "sastore([SII)V");

    /** The parameter type a write hook takes a value of type {@code t} as. */
    private static String valueDescriptor(Type t) {
        switch (t.getSort()) {
            case Type.LONG:
                return "J";
            case Type.FLOAT:
                return "F";
            case Type.DOUBLE:
                return "D";
            case Type.OBJECT:
            case Type.ARRAY:
                return "Ljava/lang/Object;";
            default:
                return "I";
        }
    }

    /**
     * Calls {@link Hooks#line} at the first instruction of each line the run counts. The call goes
     * after the line's stack map frame, if it has one: the frame describes the jump target, which
     * the probe must not come before.
     */
    private final class LineProbes extends MethodVisitor {
        /** The method's source file, absolute. */
        private final String file;
        private int pending = -1;

        LineProbes(MethodVisitor mv, String file) {
            super(Opcodes.ASM9, mv);
            this.file = file;
        }

        @Override
        public void visitLineNumber(int line, Label start) {
            super.visitLineNumber(line, start);
            pending = probe(file, line);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            super.visitFrame(type, numLocal, local, numStack, stack);
            flush();
        }

        private void flush() {
            if (pending >= 0) {
                int probe = pending;
                pending = -1;
                super.visitLdcInsn(probe);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "line", "(I)V", false);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            flush();
            super.visitInsn(opcode);
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            flush();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            flush();
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            flush();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            flush();
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            flush();
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle handle,
                Object... arguments) {
            flush();
            super.visitInvokeDynamicInsn(name, descriptor, handle, arguments);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            flush();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            flush();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            flush();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            flush();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            flush();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            flush();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }
    }

    /** Calls {@link Hooks#loop} before every backward branch: the bound on a spinning driver. */
    private static class BackEdgeHooks extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        BackEdgeHooks(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) {
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "loop", "()V", false);
            }
            super.visitJumpInsn(opcode, label);
        }
    }
}
