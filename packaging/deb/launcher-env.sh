# The package's launchers start with this (the build inlines it: an installed launcher sources nothing).
# Everything that runs has a fixed path under @JAIL_LIB@; nothing in the caller's environment may choose the
# JVM, its options, its class path or the libraries the dynamic loader adds.
# The loader's variables are named, not found by listing the environment: a fork less at every login.
unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS CLASSPATH JAVA_HOME GLIBC_TUNABLES \
    LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT LD_BIND_NOW LD_BIND_NOT LD_DEBUG LD_DEBUG_OUTPUT LD_DYNAMIC_WEAK \
    LD_HWCAP_MASK LD_ORIGIN_PATH LD_PROFILE LD_PROFILE_OUTPUT LD_SHOW_AUXV LD_TRACE_LOADED_OBJECTS \
    LD_USE_LOAD_BIAS LD_ASSUME_KERNEL LD_POINTER_GUARD LD_VERBOSE LD_WARN LD_PREFER_MAP_32BIT_EXEC
J=@JAIL_LIB@
JNA="-Djna.platform.library.path=/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu -Djna.boot.library.path=$J/native -Djna.nounpack=true -Djna.nosys=true"
