package jail.cli.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import jail.cgroup.ByteSize;
import jail.namespace.BindMount;
import jail.namespace.ResourceLimits;
import jail.namespace.spawn.SyscallFilter;
import jail.session.init.DetachPolicy;
import jail.session.init.InitConfig;
import jail.session.init.SessionTimeLimits;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads the container configuration with SmallRye Config: /etc/jail/jail.yaml, then /etc/jail/conf.d/*.yaml in
 * name order (later files override earlier ones key by key), or only the file given with --config; then
 * environment variables (JAIL_CONTAINERS_NAME_KEY) over all of them. Every problem that makes the files
 * untrustworthy (not YAML, unknown key, wrong type, bad value or size, duplicate uid or name) is collected and
 * reported as "FILE: KEY: reason", and nothing starts. What only concerns one container's world (its root
 * missing or not a directory, its user not in its passwd, a bind source missing) is not checked here: the
 * start of that container checks it and fails alone ({@code ContainerControl.start}).
 */
public final class ConfigLoader {
    public static final Path DEFAULT_FILE = Path.of("/etc/jail/jail.yaml");
    public static final Path DROP_IN_DIR = Path.of("/etc/jail/conf.d");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    private ConfigLoader() {}

    /** The files that make up the configuration, lowest priority first. */
    public static List<Path> files(Path explicit) throws ConfigException {
        if (explicit != null) {
            if (!Files.isRegularFile(explicit)) throw new ConfigException(List.of(explicit + ": no such file"));
            return List.of(explicit);
        }
        List<Path> files = new ArrayList<>();
        if (Files.isRegularFile(DEFAULT_FILE)) files.add(DEFAULT_FILE);
        if (Files.isDirectory(DROP_IN_DIR)) {
            List<Path> dropIns = new ArrayList<>();
            try (DirectoryStream<Path> d = Files.newDirectoryStream(DROP_IN_DIR, "*.yaml")) {
                d.forEach(dropIns::add);
            } catch (IOException e) {
                throw new ConfigException(List.of(DROP_IN_DIR + ": " + e.getMessage()));
            }
            dropIns.sort(null);
            files.addAll(dropIns);
        }
        return files;
    }

    public static Map<String, ContainerDefinition> load(Path explicit) throws ConfigException {
        return load(files(explicit), System.getenv());
    }

    public static Map<String, ContainerDefinition> load(List<Path> files, Map<String, String> env) throws ConfigException {
        List<ConfigSource> sources = new ArrayList<>();
        int ordinal = 100;
        for (Path f : files) {
            try {
                sources.add(new YamlConfigSource(f.toUri().toURL(), ordinal++));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(List.of(f + ": not valid YAML: " + oneLine(e)));
            }
        }
        Map<String, String> jailEnv = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("JAIL_CONTAINERS_")) jailEnv.put(k, v);
        });
        sources.add(new EnvConfigSource(jailEnv, 300));

        SmallRyeConfig config;
        try {
            config = new SmallRyeConfigBuilder().withSources(sources).withMapping(JailConfig.class, "jail")
                    .withValidateUnknown(true).build();
        } catch (ConfigValidationException e) {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) problems.add(describe(e.getProblem(i).getMessage(), files));
            throw new ConfigException(problems);
        } catch (RuntimeException e) {
            throw new ConfigException(List.of(where(files) + ": " + oneLine(e)));
        }
        JailConfig jail = config.getConfigMapping(JailConfig.class, "jail");
        return validate(jail, config);
    }

    private static Map<String, ContainerDefinition> validate(JailConfig jail, SmallRyeConfig config) throws ConfigException {
        List<String> problems = new ArrayList<>();
        Map<String, ContainerDefinition> result = new LinkedHashMap<>();
        Map<Integer, String> uids = new HashMap<>();
        for (var entry : new java.util.TreeMap<>(jail.containers()).entrySet()) {
            String name = entry.getKey();
            JailConfig.Container c = entry.getValue();
            String key = "jail.containers." + name;
            String file = sourceOf(config, key + ".uid");
            int before = problems.size();
            if (!NAME.matcher(name).matches()) {
                problems.add(file + ": " + key + ": container names are lower-case letters, digits, '.', '_' and '-'");
            }
            String other = uids.putIfAbsent(c.uid(), name);
            if (other != null) {
                problems.add(file + ": " + key + ".uid: uid " + c.uid() + " is already used by container '" + other + "'");
            }
            if (c.uid() < 0) problems.add(file + ": " + key + ".uid: must not be negative");
            if (c.uid() == 0 && !c.allowRoot()) {
                problems.add(file + ": " + key + ".uid: uid 0 needs allow-root: true");
            }
            if (!c.root().isAbsolute()) problems.add(sourceOf(config, key + ".root") + ": " + key + ".root: must be an absolute path");
            if (c.sessions().max() < 1) problems.add(file + ": " + key + ".sessions.max: must be at least 1");
            int maxPtys = c.sessions().ptys().orElse(InitConfig.defaultMaxPtys(c.sessions().max()));
            if (maxPtys < 1) problems.add(file + ": " + key + ".sessions.ptys: must be at least 1");
            if (c.sessions().helloTimeout() < 1 || c.sessions().helloTimeout() > 3600) {
                problems.add(file + ": " + key + ".sessions.hello-timeout: must be 1..3600 seconds");
            }
            Duration idle = duration(c.sessions().idleTimeout(), file + ": " + key + ".sessions.idle-timeout: ", problems);
            Duration longest = duration(c.sessions().maxDuration(), file + ": " + key + ".sessions.max-duration: ", problems);
            DetachPolicy detach = DetachPolicy.DEFAULT;
            try {
                detach = new DetachPolicy(c.sessions().detachGrace().map(SessionTimeLimits::parse).orElse(DetachPolicy.DEFAULT_GRACE),
                        DetachPolicy.Reattach.parse(c.sessions().reattach()));
            } catch (IllegalArgumentException e) {
                problems.add(file + ": " + key + ".sessions.detach-grace/reattach: " + e.getMessage());
            }
            OptionalLong memory = OptionalLong.empty();
            if (c.limits().memory().isPresent()) {
                try {
                    memory = OptionalLong.of(ByteSize.parse(c.limits().memory().get()));
                } catch (IllegalArgumentException e) {
                    problems.add(file + ": " + key + ".limits.memory: " + e.getMessage());
                }
            }
            if (c.limits().pids().isPresent() && c.limits().pids().getAsInt() < 1) {
                problems.add(file + ": " + key + ".limits.pids: must be at least 1");
            }
            if (c.limits().cpu().isPresent() && !(c.limits().cpu().get() > 0)) {
                problems.add(file + ": " + key + ".limits.cpu: must be a positive number of CPUs");
            }
            long core = -1;
            if (c.rlimits().core().isPresent()) {
                try {
                    core = ByteSize.parse(c.rlimits().core().get());
                } catch (IllegalArgumentException e) {
                    problems.add(file + ": " + key + ".rlimits.core: " + e.getMessage());
                }
            }
            List<BindMount> mounts = new ArrayList<>();
            for (int i = 0; i < c.binds().size(); i++) {
                JailConfig.Bind b = c.binds().get(i);
                String target = b.target().orElse(b.source().toString());
                if (!b.source().isAbsolute()) {
                    problems.add(file + ": " + key + ".binds[" + i + "].source: must be an absolute path");
                } else if (!target.startsWith("/") || target.contains("..")) {
                    problems.add(file + ": " + key + ".binds[" + i + "].target: must be an absolute path without '..'");
                } else {
                    mounts.add(new BindMount(b.source(), target, b.readOnly()));
                }
            }
            for (String envName : c.environment().keySet()) {
                if (!envName.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    problems.add(file + ": " + key + ".environment." + envName + ": not a valid variable name");
                }
            }
            SyscallFilter seccomp = SyscallFilter.UNCONFINED;
            try {
                seccomp = SyscallFilter.of(c.seccomp());
            } catch (SyscallFilter.ProfileException e) {
                problems.add(file + ": " + key + ".seccomp: " + e.getMessage());
            }
            if (problems.size() == before) {
                result.put(name, new ContainerDefinition(name, file, c.uid(), c.gid(), c.root().toAbsolutePath().normalize(),
                        c.hostname().orElse(""), c.autostart(), c.noNewPrivs(), c.allowRoot(), c.sessions().max(), maxPtys,
                        c.sessions().helloTimeout(), memory, c.limits().pids(),
                        c.limits().cpu().isPresent() ? java.util.OptionalDouble.of(c.limits().cpu().get()) : java.util.OptionalDouble.empty(),
                        new ResourceLimits(c.rlimits().nofile().orElse(-1), c.rlimits().nproc().orElse(-1), core), mounts, c.environment(), seccomp,
                        new SessionTimeLimits(idle, longest), detach, c.sessions().agentForwarding()));
            }
        }
        if (!problems.isEmpty()) throw new ConfigException(problems);
        return result;
    }

    /** A duration key (e.g. 30m, 8h); absent: no limit. A bad one is a problem of the file. */
    private static Duration duration(Optional<String> value, String where, List<String> problems) {
        try {
            return value.map(SessionTimeLimits::parse).orElse(Duration.ZERO);
        } catch (IllegalArgumentException e) {
            problems.add(where + e.getMessage());
            return Duration.ZERO;
        }
    }

    private static String sourceOf(SmallRyeConfig config, String key) {
        var value = config.getConfigValue(key);
        String source = value == null ? null : value.getSourceName();
        if (source == null) return "config";
        // "YamlConfigSource[source=file:/etc/jail/jail.yaml]" -> "/etc/jail/jail.yaml"
        int i = source.indexOf("file:");
        if (i >= 0) return source.substring(i + 5).replaceAll("]$", "");
        return source.startsWith("EnvConfigSource") ? "environment" : source;
    }

    /** Turns SmallRye's "SRCFG00050: KEY in SOURCE does not map to any root" style into FILE: KEY: reason. */
    static String describe(String message, List<Path> files) {
        String m = message.replaceFirst("^[\\w.]+Exception: ", "").replaceFirst("^SRCFG\\d+: ", "");
        var required = Pattern.compile("^The config property (\\S+) is required but it could not be found in any config source")
                .matcher(m);
        if (required.find()) return where(files) + ": " + required.group(1) + ": required but missing";
        var matcher = Pattern.compile("^(\\S+) in YamlConfigSource\\[source=file:([^\\]]+)] (.*)$").matcher(m);
        if (matcher.find()) {
            String reason = matcher.group(3).equals("does not map to any root") ? "unknown key" : matcher.group(3);
            return matcher.group(2) + ": " + matcher.group(1) + ": " + reason;
        }
        return where(files) + ": " + m;
    }

    private static String where(List<Path> files) {
        return files.isEmpty() ? "config" : files.get(files.size() - 1).toString();
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return m.replace('\n', ' ');
    }
}
