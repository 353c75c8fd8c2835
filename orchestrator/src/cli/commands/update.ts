import { defineCommand } from '../command.js';
import { notImplemented } from '../not-implemented.js';

// Flags as runc's, accepted so that a client's call fails with the message below, not a flag error.
export const command = defineCommand({
  name: 'update',
  summary: "change a container's resource limits (not implemented yet)",
  argsUsage: '<container-id>',
  flags: {
    resources: { kind: 'string', alias: 'r', usage: 'LinuxResources JSON file, - for stdin' },
    'blkio-weight': { kind: 'int', usage: 'block IO weight, 10 to 1000' },
    'cpu-period': { kind: 'string', usage: 'CFS period in microseconds' },
    'cpu-quota': { kind: 'string', usage: 'CFS quota in microseconds per period' },
    'cpu-burst': { kind: 'string', usage: 'CFS burst in microseconds' },
    'cpu-share': { kind: 'string', usage: 'CPU shares (relative weight)' },
    'cpu-rt-period': { kind: 'string', usage: 'realtime period in microseconds' },
    'cpu-rt-runtime': { kind: 'string', usage: 'realtime runtime in microseconds per period' },
    'cpuset-cpus': { kind: 'string', usage: 'CPUs to run on' },
    'cpuset-mems': { kind: 'string', usage: 'memory nodes to use' },
    'kernel-memory': { kind: 'string', usage: 'obsolete, ignored by the kernel' },
    'kernel-memory-tcp': { kind: 'string', usage: 'obsolete, ignored by the kernel' },
    memory: { kind: 'string', usage: 'memory limit in bytes' },
    'cpu-idle': { kind: 'string', usage: '1 for SCHED_IDLE, 0 for normal' },
    'memory-reservation': { kind: 'string', usage: 'memory soft limit in bytes' },
    'memory-swap': { kind: 'string', usage: 'memory plus swap limit in bytes, -1 for unlimited' },
    'pids-limit': { kind: 'int', usage: 'maximum number of processes' },
    'l3-cache-schema': { kind: 'string', usage: 'Intel RDT L3 cache schema' },
    'mem-bw-schema': { kind: 'string', usage: 'Intel RDT memory bandwidth schema' },
  },
  run: async () => {
    throw notImplemented('update');
  },
});
