# Shared by bin/jaild and bin/jail (sourced, not run): where this installation is and which Java runs it.
# Both launchers work from any directory and through symlinks (e.g. /usr/local/bin/jail -> .../bin/jail).
# The caller's environment must not choose what runs as the caller on the host (a login shell's environment
# may come from su, sshd or PAM): the launchers set PATH before running anything, Java is found in fixed
# places only, and the variables that the JVM or the loader read are dropped before exec (docs/security.md,
# "The launchers"). LD_* already reached this shell itself: that is for the ways in to stop.
JAIL_HOME=$(dirname "$(dirname "$(readlink -f "$0")")")
JAIL_TARGET="$JAIL_HOME/modules/cli/target"
JAIL_NATIVE="$JAIL_TARGET/native-unpacked/com/sun/jna/linux-x86-64"

unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS JAVA_OPTS JDK_AOT_VM_OPTIONS _JAVA_LAUNCHER_DEBUG CLASSPATH \
    JAVA_HOME GCONV_PATH GLIBC_TUNABLES MALLOC_TRACE LOCPATH NLSPATH HOSTALIASES RESOLV_HOST_CONF

# The JDK the build used (its AOT caches were trained with it), else Temurin 25 or another JDK 25 where Debian
# installs them. JAIL_JAVA is root's only (tests and benchmarks wrap java with it). Always one line, maybe empty.
jail_find_java() {
    if [ -O / ] && [ -n "${JAIL_JAVA:-}" ] && [ -x "$JAIL_JAVA" ]; then echo "$JAIL_JAVA"; return; fi
    if [ -r "$JAIL_TARGET/jail-java" ] && read -r j < "$JAIL_TARGET/jail-java" && [ -x "$j" ]; then echo "$j"; return; fi
    for j in /usr/lib/jvm/temurin-25-jdk-amd64/bin/java /usr/lib/jvm/java-25*/bin/java /usr/lib/jvm/*-25-*/bin/java; do
        if [ -x "$j" ]; then echo "$j"; return; fi
    done
    echo
}

# One subshell (the fork is what costs here) prints the java on its first line, then our exported variables,
# of which every LD_* is dropped (a value spanning lines can only add names to unset, never hide one).
jail_probe=$(jail_find_java; export -p)
{
    IFS= read -r JAIL_JAVA_BIN
    while IFS= read -r jail_line; do
        case $jail_line in
            "export LD_"*=*) jail_line=${jail_line#export }; unset "${jail_line%%=*}" ;;
        esac
    done
} <<JAIL_PROBE
$jail_probe
JAIL_PROBE
unset JAIL_JAVA jail_probe jail_line
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
