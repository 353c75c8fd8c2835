#ifndef ORCH_CGROUPS_H
#define ORCH_CGROUPS_H

/*
 * Cgroup work Node cannot do (no bpf(2), no eventfd(2)); the orchestrator runs these as
 * subcommands of orch-init, outside any container:
 *   orch-init cgroup-devices <cgroup v2 dir>    device rules as JSON on stdin -> eBPF filter attached
 *   orch-init cgroup-oom <cgroup v1 memory dir> "ready", then one "oom" line per OOM event, until
 *                                               the cgroup is removed
 * Both return the process exit status; errors go to stderr as one line.
 */
int cgroup_devices_main(int argc, char **argv);
int cgroup_oom_main(int argc, char **argv);

#endif
