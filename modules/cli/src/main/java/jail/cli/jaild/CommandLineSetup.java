package jail.cli.jaild;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jail.namespace.SyscallException;
import picocli.CommandLine;

/**
 * How jaild reports failures: one line on stderr and an exit status from {@link ExitCodes}, never a stack
 * trace. Bad command lines get the message and a pointer to --help.
 */
@ApplicationScoped
public class CommandLineSetup {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        CommandLine cl = factory.create();
        cl.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("jaild: " + e.getMessage() + " (see 'jaild --help')");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e instanceof JaildException || e instanceof SyscallException
                    || e instanceof java.io.IOException ? e.getMessage() : e.toString();
            commandLine.getErr().println("jaild: " + message);
            return ExitCodes.FAILED;
        });
        return cl;
    }
}
