package jail.session.container;

import java.nio.file.Path;

/**
 * What a container's init JVM runs from: the same build as the jaild that starts it.
 *
 * @param java      the java launcher
 * @param libDir    the init's jars (the whole directory is its class path)
 * @param nativeDir JNA's unpacked native library, or null to let JNA find its own
 * @param aotCache  the init's AOT cache trained at build ({@link InitAotCache}), or null to run without one
 * @param execHelper jail-exec, which every session starts through
 */
public record InitRuntime(Path java, Path libDir, Path nativeDir, Path aotCache, Path execHelper) {
}
