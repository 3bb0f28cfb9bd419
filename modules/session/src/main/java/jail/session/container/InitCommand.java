package jail.session.container;

import jail.session.init.ContainerInit;
import jail.session.init.InitAotTraining;
import jail.session.init.InitConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The command line of a container's init JVM. argv[0] is the process title ps shows
 * ("jaild: master [61000:61000]"; the java launcher keeps whatever argv[0] it is given), and everything else
 * goes into an argument file, so that ps inside the container shows
 * {@code jaild: master [61000:61000] @/run/jail/61000.args} rather than a page of JVM flags.
 */
public final class InitCommand {
    private InitCommand() {}

    public static String processTitle(int uid, int gid) {
        return "jaild: master [" + uid + ":" + gid + "]";
    }

    /** argv for posix_spawn: the title and the argument file (written by {@link #argumentFile}). */
    public static List<String> argv(InitConfig config, Path argumentFile) {
        return List.of(processTitle(config.uid(), config.gid()), "@" + argumentFile);
    }

    /**
     * The java launcher's argument file: one argument per line, quoted (paths may contain spaces), with the
     * escapes the launcher reads in quotes for a backslash, a quote and line breaks (a configured variable's
     * value may hold one).
     */
    public static String argumentFile(InitRuntime runtime, InitConfig config) {
        StringBuilder file = new StringBuilder();
        for (String arg : jvmArguments(runtime, config)) {
            file.append('"').append(arg.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r"))
                    .append("\"\n");
        }
        return file.toString();
    }

    static List<String> jvmArguments(InitRuntime runtime, InitConfig config) {
        // Classes of Vert.x, Netty, JNA and jail loaded and linked ahead of time, mapped by every init. The JVM
        // checks that the cache fits this build and runs without it otherwise: nothing to log about that.
        List<String> classSharing = runtime.aotCache() == null ? List.of("-Xshare:auto")
                : List.of("-XX:AOTCache=" + runtime.aotCache(), "-Xlog:aot=off");
        List<String> argv = jvmOptions(runtime.nativeDir(), classSharing);
        argv.add("-Dvertx.cacheDirBase=/tmp/jail-vertx-" + config.uid());
        argv.add("-D" + ContainerInit.EXEC_HELPER + "=" + runtime.execHelper());
        argv.add("-cp");
        argv.add(classPath(runtime.libDir()));
        argv.add(ContainerInit.class.getName());
        argv.addAll(config.encode());
        return argv;
    }

    /** The training run for the init's AOT cache: the init's own options and class path, the training main. */
    static List<String> trainingArguments(InitRuntime runtime, Path output) {
        List<String> argv = jvmOptions(runtime.nativeDir(), List.of("-XX:AOTCacheOutput=" + output));
        argv.add("-cp");
        argv.add(classPath(runtime.libDir()));
        argv.add(InitAotTraining.class.getName());
        return argv;
    }

    /**
     * The init JVM's options but for its class path. The AOT cache is trained with exactly these options and
     * {@link #classPath}, which is what makes it usable by the inits.
     */
    private static List<String> jvmOptions(Path nativeDir, List<String> classSharing) {
        List<String> argv = new ArrayList<>();
        // Lean flags: the init idles most of its life and one runs per container.
        argv.add("-XX:+PerfDisableSharedMem");   // no hsperfdata file (every init is PID 1: they would collide)
        argv.add("-Xrs");                        // TERM, INT, HUP, QUIT are the init's own (InitSignals), not the JVM's
        argv.add("-XX:+DisableAttachMechanism"); // no jcmd/attach into PID 1
        argv.add("--finalization=disabled");     // nothing of the init's needs finalize(): no Finalizer thread
        argv.add("-XX:+UseSerialGC");
        argv.add("-XX:TieredStopAtLevel=1");
        argv.add("-Xms4m");                                // an idle init's live heap is about 4 MiB; the heap grows on demand
        argv.add("-Xmn512k");                              // every page of eden is touched; young GCs of an init are cheap
        argv.add("-Xmx128m");                              // a ceiling: 256 stalled sessions fit (docs/security.md)
        argv.add("-Xss512k");
        // HotSpot touches this much stack below every Java call (default 80 KiB, resident in each thread) so that
        // native code called near the stack's end still fits: 40 KiB is ample for the init's libc calls, and
        // nothing of the init recurses on what a user sends.
        argv.add("-XX:StackShadowPages=10");
        argv.add("-XX:MaxMetaspaceSize=64m");
        argv.add("-XX:TrimNativeHeapInterval=5000");       // glibc keeps what the JIT and start-up freed (6 MiB) unless trimmed
        argv.add("-XX:StringTableSize=4096");              // the tables grow when needed; their default first size costs 0.5 MiB
        argv.addAll(classSharing);
        argv.add("-XX:+UnlockDiagnosticVMOptions");
        argv.add("-XX:ArchiveRelocationMode=0");           // archive mapped where it was dumped: pages shared by all inits
        argv.add("-XX:-AOTReplayTraining");                // no eager compiles of the training's hot methods (and no thread)
        argv.add("-XX:+UnlockExperimentalVMOptions");
        argv.add("-XX:SymbolTableSize=4096");
        argv.add("-Dio.netty.allocator.maxOrder=5");       // 256 KiB pool chunks instead of 4 MiB: an init moves little
        argv.add("--enable-native-access=ALL-UNNAMED");
        argv.add("--sun-misc-unsafe-memory-access=allow"); // Netty 4.1 still allocates through Unsafe
        argv.add("-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu");
        if (nativeDir != null) {
            argv.add("-Djna.boot.library.path=" + nativeDir);
            argv.add("-Djna.nounpack=true");
        }
        argv.add("-Dvertx.disableFileCPResolving=true");
        return argv;
    }

    /**
     * The jars of libDir by name, spelled out: an AOT cache is tied to its class path in order, and the order in
     * which the launcher would expand {@code lib/*} is the directory's, which nothing promises.
     */
    static String classPath(Path libDir) {
        try (Stream<Path> jars = Files.list(libDir)) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar")).map(Path::toString).sorted()
                    .collect(Collectors.joining(":"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the init's jars in " + libDir, e);
        }
    }
}
