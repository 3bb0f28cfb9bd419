package jail.session.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Build step (the cli module's pom runs it once the init's jars are in place): makes the init's AOT cache.
 * It runs {@link jail.session.init.InitAotTraining} in a JVM started with the init's own options and class
 * path ({@link InitCommand#trainingArguments}), because an AOT cache is only used by a JVM whose class path
 * and flags match those of its training run.
 *
 * <p>Usage: {@code InitAotCache LIB_DIR NATIVE_DIR OUTPUT}. The training JVM's output goes to OUTPUT.log.
 */
public final class InitAotCache {
    private InitAotCache() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: InitAotCache LIB_DIR NATIVE_DIR OUTPUT");
            System.exit(2);
        }
        Path output = Path.of(args[2]).toAbsolutePath();
        Path log = Path.of(output + ".log");
        Files.deleteIfExists(output);
        InitRuntime runtime = new InitRuntime(Path.of(System.getProperty("java.home"), "bin", "java"),
                Path.of(args[0]).toAbsolutePath(), Path.of(args[1]).toAbsolutePath(), null, null);
        List<String> command = new ArrayList<>();
        command.add(runtime.java().toString());
        command.addAll(InitCommand.trainingArguments(runtime, output));
        ProcessBuilder training = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        training.environment().clear();
        for (String variable : ContainerLauncher.initEnvironment()) {
            training.environment().put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1));
        }
        int status = training.start().waitFor();
        if (status != 0 || !Files.isRegularFile(output)) {
            System.err.println("the init's AOT training run failed (exit " + status + "); its output:");
            System.err.print(Files.readString(log));
            System.exit(1);
        }
    }
}
