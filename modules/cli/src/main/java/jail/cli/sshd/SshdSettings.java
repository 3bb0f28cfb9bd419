package jail.cli.sshd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * sshd's effective configuration for one connection, as {@code sshd -T -C user=...} prints it: one
 * "keyword value" line per setting, lower-case keywords, repeated keywords (acceptenv, subsystem) on lines of
 * their own. Asking sshd itself means Match blocks, Include files and defaults are applied as sshd applies them.
 */
public final class SshdSettings {
    private final Map<String, List<String>> values;

    private SshdSettings(Map<String, List<String>> values) {
        this.values = values;
    }

    public static SshdSettings parse(String testOutput) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String line : testOutput.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty()) continue;
            int space = trimmed.indexOf(' ');
            String key = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(java.util.Locale.ROOT);
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(space < 0 ? "" : trimmed.substring(space + 1).strip());
        }
        return new SshdSettings(values);
    }

    /** Runs {@code sshd -T} for a login of {@code user} from 127.0.0.1, with {@code config} or sshd's own. */
    public static SshdSettings effectiveFor(Path sshd, Path config, String user) {
        if (!Files.isExecutable(sshd)) throw new SshdException(sshd + " not found: is openssh-server installed?");
        List<String> argv = new ArrayList<>(List.of(sshd.toString(), "-T", "-C", "user=" + user + ",host=localhost,addr=127.0.0.1"));
        if (config != null) argv.addAll(List.of("-f", config.toString()));
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var err = p.getErrorStream();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String error = new String(err.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SshdException("sshd -T for " + user + " did not finish");
            }
            if (p.exitValue() != 0) {
                throw new SshdException("sshd -T for " + user + " failed: " + (error.isEmpty() ? "exit " + p.exitValue()
                        : error.lines().reduce((a, b) -> b).orElse(error)));
            }
            return parse(out);
        } catch (IOException e) {
            throw new SshdException("running " + sshd + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshdException("interrupted while running " + sshd);
        }
    }

    /** The value of a single-valued setting, or "" when sshd did not print it. */
    public String get(String key) {
        List<String> v = values.get(key);
        return v == null || v.isEmpty() ? "" : v.get(0);
    }

    /** Every value of a repeated setting, in sshd's order. */
    public List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    public boolean is(String key, String value) {
        return get(key).equalsIgnoreCase(value);
    }
}
