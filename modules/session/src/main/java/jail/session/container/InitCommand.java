package jail.session.container;

import jail.session.init.ContainerInit;
import jail.session.init.InitConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /** The java launcher's argument file: one argument per line, quoted (paths may contain spaces). */
    public static String argumentFile(Path libDir, Path nativeDir, InitConfig config) {
        StringBuilder file = new StringBuilder();
        for (String arg : jvmArguments(libDir, nativeDir, config)) {
            file.append('"').append(arg.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        return file.toString();
    }

    static List<String> jvmArguments(Path libDir, Path nativeDir, InitConfig config) {
        List<String> argv = new ArrayList<>();
        // Lean flags: the init idles most of its life and one runs per container.
        argv.add("-XX:+PerfDisableSharedMem");   // no hsperfdata file (every init is PID 1: they would collide)
        argv.add("-XX:+UseSerialGC");
        argv.add("-XX:TieredStopAtLevel=1");
        argv.add("-Xms8m");
        argv.add("-Xmx64m");
        argv.add("-Xss512k");
        argv.add("-XX:MaxMetaspaceSize=64m");
        argv.add("-Xshare:auto");
        argv.add("-XX:+UnlockDiagnosticVMOptions");
        argv.add("-XX:ArchiveRelocationMode=0");           // CDS mapped where it was dumped: pages shared by all inits
        argv.add("-Dio.netty.allocator.maxOrder=7");       // 1 MiB pool chunks instead of 4 MiB: an init moves little
        argv.add("--enable-native-access=ALL-UNNAMED");
        argv.add("--sun-misc-unsafe-memory-access=allow"); // Netty 4.1 still allocates through Unsafe
        argv.add("-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu");
        if (nativeDir != null) {
            argv.add("-Djna.boot.library.path=" + nativeDir);
            argv.add("-Djna.nounpack=true");
        }
        argv.add("-Dvertx.disableFileCPResolving=true");
        argv.add("-Dvertx.cacheDirBase=/tmp/jail-vertx-" + config.uid());
        argv.add("-cp");
        argv.add(libDir + "/*");
        argv.add(ContainerInit.class.getName());
        argv.addAll(List.of(config.toArgs()));
        return argv;
    }
}
