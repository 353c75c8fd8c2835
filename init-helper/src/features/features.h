#ifndef ORCH_FEATURES_H
#define ORCH_FEATURES_H

/*
 * `orch-init features`: prints, as one JSON object on stdout, what only this binary can tell
 * about `orch features` (runtime-spec features.md): the capabilities libcap and the kernel know,
 * the mount options the rootfs code understands, the seccomp actions, operators, architectures and
 * flags the filter code takes (flags: those this kernel and libseccomp support too), and the
 * libseccomp version. Each list is the candidates the helper's own parsers accept, so it cannot
 * drift from them. Returns the exit code.
 */
int features_main(void);

#endif
