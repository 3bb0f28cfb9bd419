# Shared by bin/jaild and bin/jail (sourced, not run): where this installation is and which Java runs it.
# Both launchers work from any directory and through symlinks (e.g. /usr/local/bin/jail -> .../bin/jail).
# The caller's environment must not choose what runs as the caller on the host (a login shell's environment
# may come from su, sshd or PAM): the launchers set PATH before running anything, Java is found in fixed
# places only, and the variables that the JVM or the loader read are dropped before exec (docs/security.md,
# "The launchers"). LD_* already reached this shell itself: that is for the ways in to stop.
# Every login runs this: one fork in all (readlink), the rest is the shell's own (docs/performance.md, "Entry and
# init levers"). bin/jail and bin/jaild set JAIL_SELF (their own path, resolved) before sourcing this file;
# bench/run sources it directly.
[ -n "${JAIL_SELF:-}" ] || JAIL_SELF=$(readlink -f "$0")
JAIL_HOME=${JAIL_SELF%/*}
JAIL_HOME=${JAIL_HOME%/*}
JAIL_TARGET="$JAIL_HOME/modules/cli/target"
JAIL_NATIVE="$JAIL_TARGET/native-unpacked/com/sun/jna/linux-x86-64"

# The loader's variables are named (every one glibc's ld.so reads), not found by listing the environment,
# which would take a fork; the Debian package's launchers drop the same list (packaging/deb/launcher-env.sh).
unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS JAVA_OPTS JDK_AOT_VM_OPTIONS _JAVA_LAUNCHER_DEBUG CLASSPATH \
    JAVA_HOME GCONV_PATH GLIBC_TUNABLES MALLOC_TRACE LOCPATH NLSPATH HOSTALIASES RESOLV_HOST_CONF JAIL_SELF \
    LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT LD_BIND_NOW LD_BIND_NOT LD_DEBUG LD_DEBUG_OUTPUT LD_DYNAMIC_WEAK \
    LD_HWCAP_MASK LD_ORIGIN_PATH LD_PROFILE LD_PROFILE_OUTPUT LD_SHOW_AUXV LD_TRACE_LOADED_OBJECTS \
    LD_USE_LOAD_BIAS LD_ASSUME_KERNEL LD_POINTER_GUARD LD_VERBOSE LD_WARN LD_PREFER_MAP_32BIT_EXEC \
    LD_LIBRARY_VERSION LD_TRACE_PRELINKING

# The JDK the build used (its AOT caches were trained with it), else Temurin 25 or another JDK 25 where Debian
# installs them, in JAIL_JAVA_BIN (empty if none). JAIL_JAVA is root's only (tests and benchmarks wrap java with it).
jail_find_java() {
    JAIL_JAVA_BIN=
    if [ -O / ] && [ -n "${JAIL_JAVA:-}" ] && [ -x "$JAIL_JAVA" ]; then JAIL_JAVA_BIN=$JAIL_JAVA; return; fi
    if [ -r "$JAIL_TARGET/jail-java" ] && read -r j < "$JAIL_TARGET/jail-java" && [ -x "$j" ]; then JAIL_JAVA_BIN=$j; return; fi
    for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/java-25*/bin/java /usr/lib/jvm/*-25-*/bin/java; do
        if [ -x "$j" ]; then JAIL_JAVA_BIN=$j; return; fi
    done
}
jail_find_java
unset JAIL_JAVA j
if [ -z "$JAIL_JAVA_BIN" ]; then
    echo "$(basename "$0"): no Java 25 found: build with ./setup, or install Temurin 25 in /usr/lib/jvm" >&2
    exit 1
fi
JAIL_JNA_OPTS="-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu -Djna.boot.library.path=$JAIL_NATIVE -Djna.nounpack=true -Djna.nosys=true"
# Alternative state and log directories (tests, or a second installation): JAIL_RUN_DIR, JAIL_LOG_DIR. Any
# caller may set them: a client pointed at another socket directory reaches only what its uid could connect
# to anyway, and an init admits by the kernel's peer credentials (SO_PEERCRED), never by the path.
JAIL_DIR_OPTS=""
[ -n "${JAIL_RUN_DIR:-}" ] && JAIL_DIR_OPTS="-Djail.run-dir=$JAIL_RUN_DIR"
[ -n "${JAIL_LOG_DIR:-}" ] && JAIL_DIR_OPTS="$JAIL_DIR_OPTS -Djail.log-dir=$JAIL_LOG_DIR"
