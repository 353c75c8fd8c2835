/**
 * orch's JSON schema (draft-07) for an OCI runtime-spec v1.3 config.json, Linux only.
 *
 * Used twice, never at run time: tools/build-validator.mjs compiles it into a standalone ajv
 * validator (validate-config.generated.js), and spec-types.ts derives the TypeScript types from it
 * with json-schema-to-ts. Keep every keyword one that ajv compiles without runtime helpers (no
 * minLength/maxLength/uniqueItems/format): the build fails if the generated code imports anything.
 *
 * Unknown properties are allowed everywhere, as in the official schema and runc: other platforms'
 * sections and vendor extensions must not make a config invalid.
 */

// Integer ranges of the Go types in runtime-spec's specs-go. JSON numbers are doubles here, so the
// 64-bit bounds are approximate (2^63 and 2^64); they only reject values far out of range.
const int32 = { type: 'integer', minimum: -2147483648, maximum: 2147483647 } as const;
const int64 = { type: 'integer', minimum: -9223372036854775808, maximum: 9223372036854775807 } as const;
const uint16 = { type: 'integer', minimum: 0, maximum: 65535 } as const;
const uint32 = { type: 'integer', minimum: 0, maximum: 4294967295 } as const;
const uint64 = { type: 'integer', minimum: 0, maximum: 18446744073709551615 } as const;

const strings = { type: 'array', items: { type: 'string' } } as const;
const stringMap = { type: 'object', additionalProperties: { type: 'string' } } as const;

export const namespaceTypes = ['mount', 'pid', 'network', 'uts', 'ipc', 'user', 'cgroup', 'time'] as const;

/** The official schema allows only the four plain values; runc also takes the recursive ones (and Docker sends them). */
export const rootfsPropagations = [
  'private',
  'rprivate',
  'shared',
  'rshared',
  'slave',
  'rslave',
  'unbindable',
  'runbindable',
] as const;

export const seccompActions = [
  'SCMP_ACT_KILL',
  'SCMP_ACT_KILL_PROCESS',
  'SCMP_ACT_KILL_THREAD',
  'SCMP_ACT_TRAP',
  'SCMP_ACT_ERRNO',
  'SCMP_ACT_TRACE',
  'SCMP_ACT_ALLOW',
  'SCMP_ACT_LOG',
  'SCMP_ACT_NOTIFY',
] as const;

export const seccompArches = [
  'SCMP_ARCH_X86',
  'SCMP_ARCH_X86_64',
  'SCMP_ARCH_X32',
  'SCMP_ARCH_ARM',
  'SCMP_ARCH_AARCH64',
  'SCMP_ARCH_LOONGARCH64',
  'SCMP_ARCH_M68K',
  'SCMP_ARCH_MIPS',
  'SCMP_ARCH_MIPS64',
  'SCMP_ARCH_MIPS64N32',
  'SCMP_ARCH_MIPSEL',
  'SCMP_ARCH_MIPSEL64',
  'SCMP_ARCH_MIPSEL64N32',
  'SCMP_ARCH_PPC',
  'SCMP_ARCH_PPC64',
  'SCMP_ARCH_PPC64LE',
  'SCMP_ARCH_S390',
  'SCMP_ARCH_S390X',
  'SCMP_ARCH_SH',
  'SCMP_ARCH_SHEB',
  'SCMP_ARCH_PARISC',
  'SCMP_ARCH_PARISC64',
  'SCMP_ARCH_RISCV64',
] as const;

export const seccompOperators = [
  'SCMP_CMP_NE',
  'SCMP_CMP_LT',
  'SCMP_CMP_LE',
  'SCMP_CMP_EQ',
  'SCMP_CMP_GE',
  'SCMP_CMP_GT',
  'SCMP_CMP_MASKED_EQ',
] as const;

export const seccompFlags = [
  'SECCOMP_FILTER_FLAG_TSYNC',
  'SECCOMP_FILTER_FLAG_LOG',
  'SECCOMP_FILTER_FLAG_SPEC_ALLOW',
  'SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV',
] as const;

export const schedulerPolicies = [
  'SCHED_OTHER',
  'SCHED_FIFO',
  'SCHED_RR',
  'SCHED_BATCH',
  'SCHED_ISO',
  'SCHED_IDLE',
  'SCHED_DEADLINE',
] as const;

export const memoryPolicyFlags = ['MPOL_F_NUMA_BALANCING', 'MPOL_F_RELATIVE_NODES', 'MPOL_F_STATIC_NODES'] as const;

export const memoryPolicyModes = [
  'MPOL_DEFAULT',
  'MPOL_BIND',
  'MPOL_INTERLEAVE',
  'MPOL_WEIGHTED_INTERLEAVE',
  'MPOL_PREFERRED',
  'MPOL_PREFERRED_MANY',
  'MPOL_LOCAL',
] as const;

// ---- shared pieces -------------------------------------------------------------------------

export const idMappingSchema = {
  type: 'object',
  required: ['containerID', 'hostID', 'size'],
  properties: { containerID: uint32, hostID: uint32, size: uint32 },
} as const;

const idMappings = { type: 'array', items: idMappingSchema } as const;

export const hookSchema = {
  type: 'object',
  required: ['path'],
  properties: {
    path: { type: 'string' },
    args: strings,
    env: strings,
    // Go's int in runc; bounded at int32 seconds (68 years) so every later sum and product fits
    // (orch-init's hook_run.c has the same bound).
    timeout: { type: 'integer', minimum: 1, maximum: 2147483647 },
  },
} as const;

const hookList = { type: 'array', items: hookSchema } as const;

export const hooksSchema = {
  type: 'object',
  properties: {
    prestart: hookList,
    createRuntime: hookList,
    createContainer: hookList,
    startContainer: hookList,
    poststart: hookList,
    poststop: hookList,
  },
} as const;

export const mountSchema = {
  type: 'object',
  required: ['destination'],
  properties: {
    destination: { type: 'string' },
    source: { type: 'string' },
    type: { type: 'string' },
    options: strings,
    uidMappings: idMappings,
    gidMappings: idMappings,
  },
} as const;

export const rootSchema = {
  type: 'object',
  required: ['path'],
  properties: {
    path: { type: 'string' },
    readonly: { type: 'boolean' },
  },
} as const;

// ---- process -------------------------------------------------------------------------------

export const userSchema = {
  type: 'object',
  required: ['uid', 'gid'],
  properties: {
    uid: uint32,
    gid: uint32,
    umask: uint32,
    additionalGids: { type: 'array', items: uint32 },
    username: { type: 'string' },
  },
} as const;

export const capabilitiesSchema = {
  type: 'object',
  properties: {
    bounding: strings,
    effective: strings,
    inheritable: strings,
    permitted: strings,
    ambient: strings,
  },
} as const;

export const rlimitSchema = {
  type: 'object',
  required: ['type', 'soft', 'hard'],
  properties: {
    type: { type: 'string', pattern: '^RLIMIT_[A-Z]+$' },
    soft: uint64,
    hard: uint64,
  },
} as const;

const cpuList = { type: 'string', pattern: '^[0-9, -]*$' } as const;

export const processSchema = {
  type: 'object',
  // runtime-spec: cwd is REQUIRED, and so is user on POSIX platforms; load-config fills in an
  // absent user as uid 0, gid 0 first, as runc takes one (the official schema lets it out).
  required: ['cwd', 'user'],
  properties: {
    terminal: { type: 'boolean' },
    consoleSize: {
      type: 'object',
      required: ['height', 'width'],
      properties: { height: uint64, width: uint64 },
    },
    user: userSchema,
    args: strings,
    commandLine: { type: 'string' },
    env: strings,
    cwd: { type: 'string' },
    capabilities: capabilitiesSchema,
    rlimits: { type: 'array', items: rlimitSchema },
    apparmorProfile: { type: 'string' },
    selinuxLabel: { type: 'string' },
    noNewPrivileges: { type: 'boolean' },
    oomScoreAdj: { type: 'integer', minimum: -1000, maximum: 1000 },
    scheduler: {
      type: 'object',
      required: ['policy'],
      properties: {
        policy: { type: 'string', enum: schedulerPolicies },
        nice: int32,
        priority: int32,
        flags: {
          type: 'array',
          items: {
            type: 'string',
            enum: [
              'SCHED_FLAG_RESET_ON_FORK',
              'SCHED_FLAG_RECLAIM',
              'SCHED_FLAG_DL_OVERRUN',
              'SCHED_FLAG_KEEP_POLICY',
              'SCHED_FLAG_KEEP_PARAMS',
              'SCHED_FLAG_UTIL_CLAMP_MIN',
              'SCHED_FLAG_UTIL_CLAMP_MAX',
            ],
          },
        },
        runtime: uint64,
        deadline: uint64,
        period: uint64,
      },
    },
    ioPriority: {
      type: 'object',
      required: ['class'],
      properties: {
        class: { type: 'string', enum: ['IOPRIO_CLASS_RT', 'IOPRIO_CLASS_BE', 'IOPRIO_CLASS_IDLE'] },
        priority: int32,
      },
    },
    execCPUAffinity: {
      type: 'object',
      properties: { initial: cpuList, final: cpuList },
    },
  },
} as const;

// ---- linux ---------------------------------------------------------------------------------

export const namespaceSchema = {
  type: 'object',
  required: ['type'],
  properties: {
    type: { type: 'string', enum: namespaceTypes },
    path: { type: 'string' },
  },
} as const;

export const deviceSchema = {
  type: 'object',
  required: ['type', 'path'],
  properties: {
    // c/u: character, b: block, p: FIFO
    type: { type: 'string', enum: ['c', 'b', 'u', 'p'] },
    path: { type: 'string' },
    major: int64,
    minor: int64,
    // Go's os.FileMode in runc: podman sends the type bits too (8630 = 020666 for /dev/fuse);
    // the helper keeps the permission bits and takes the type from "type", as runc does
    fileMode: uint32,
    uid: uint32,
    gid: uint32,
  },
} as const;

export const deviceCgroupSchema = {
  type: 'object',
  required: ['allow'],
  properties: {
    allow: { type: 'boolean' },
    // a: all devices
    type: { type: 'string', enum: ['a', 'c', 'b'] },
    major: int64,
    minor: int64,
    access: { type: 'string', pattern: '^[rwm]*$' },
  },
} as const;

// The official schema says allOf [blockIODevice, {...}]; a single object keeps ajv's first error plain.
const blockIODeviceWeight = {
  type: 'object',
  required: ['major', 'minor'],
  properties: { major: int64, minor: int64, weight: uint16, leafWeight: uint16 },
} as const;

const blockIODeviceThrottle = {
  type: 'object',
  required: ['major', 'minor'],
  properties: { major: int64, minor: int64, rate: uint64 },
} as const;

const throttleList = { type: 'array', items: blockIODeviceThrottle } as const;

export const resourcesSchema = {
  type: 'object',
  properties: {
    devices: { type: 'array', items: deviceCgroupSchema },
    memory: {
      type: 'object',
      properties: {
        limit: int64,
        reservation: int64,
        swap: int64,
        kernel: int64,
        kernelTCP: int64,
        swappiness: uint64,
        disableOOMKiller: { type: 'boolean' },
        useHierarchy: { type: 'boolean' },
        checkBeforeUpdate: { type: 'boolean' },
      },
    },
    cpu: {
      type: 'object',
      properties: {
        shares: uint64,
        quota: int64,
        burst: uint64,
        period: uint64,
        realtimeRuntime: int64,
        realtimePeriod: uint64,
        cpus: { type: 'string' },
        mems: { type: 'string' },
        idle: int64,
      },
    },
    blockIO: {
      type: 'object',
      properties: {
        weight: uint16,
        leafWeight: uint16,
        weightDevice: { type: 'array', items: blockIODeviceWeight },
        throttleReadBpsDevice: throttleList,
        throttleWriteBpsDevice: throttleList,
        throttleReadIOPSDevice: throttleList,
        throttleWriteIOPSDevice: throttleList,
      },
    },
    hugepageLimits: {
      type: 'array',
      items: {
        type: 'object',
        required: ['pageSize', 'limit'],
        properties: {
          pageSize: { type: 'string', pattern: '^[1-9][0-9]*[KMG]B$' },
          limit: uint64,
        },
      },
    },
    network: {
      type: 'object',
      properties: {
        classID: uint32,
        priorities: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'priority'],
            properties: { name: { type: 'string' }, priority: uint32 },
          },
        },
      },
    },
    pids: {
      type: 'object',
      required: ['limit'],
      properties: { limit: int64 },
    },
    rdma: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { hcaHandles: uint32, hcaObjects: uint32 },
      },
    },
    unified: stringMap,
  },
} as const;

export const syscallSchema = {
  type: 'object',
  required: ['names', 'action'],
  properties: {
    names: { type: 'array', items: { type: 'string' }, minItems: 1 },
    action: { type: 'string', enum: seccompActions },
    errnoRet: uint32,
    args: {
      type: 'array',
      items: {
        type: 'object',
        required: ['index', 'value', 'op'],
        properties: {
          index: uint32,
          value: uint64,
          valueTwo: uint64,
          op: { type: 'string', enum: seccompOperators },
        },
      },
    },
  },
} as const;

export const seccompSchema = {
  type: 'object',
  required: ['defaultAction'],
  properties: {
    defaultAction: { type: 'string', enum: seccompActions },
    defaultErrnoRet: uint32,
    architectures: { type: 'array', items: { type: 'string', enum: seccompArches } },
    flags: { type: 'array', items: { type: 'string', enum: seccompFlags } },
    listenerPath: { type: 'string' },
    listenerMetadata: { type: 'string' },
    syscalls: { type: 'array', items: syscallSchema },
  },
} as const;

const timeOffset = {
  type: 'object',
  properties: { secs: int64, nanosecs: uint32 },
} as const;

export const linuxSchema = {
  type: 'object',
  properties: {
    namespaces: { type: 'array', items: namespaceSchema },
    uidMappings: idMappings,
    gidMappings: idMappings,
    timeOffsets: {
      type: 'object',
      properties: { boottime: timeOffset, monotonic: timeOffset },
    },
    devices: { type: 'array', items: deviceSchema },
    cgroupsPath: { type: 'string' },
    resources: resourcesSchema,
    intelRdt: {
      type: 'object',
      properties: {
        closID: { type: 'string' },
        schemata: strings,
        l3CacheSchema: { type: 'string' },
        memBwSchema: { type: 'string', pattern: '^MB:[^\\n]*$' },
        enableMonitoring: { type: 'boolean' },
      },
    },
    netDevices: {
      type: 'object',
      additionalProperties: { type: 'object', properties: { name: { type: 'string' } } },
    },
    personality: {
      type: 'object',
      properties: {
        domain: { type: 'string', enum: ['LINUX', 'LINUX32'] },
        flags: strings,
      },
    },
    rootfsPropagation: { type: 'string', enum: rootfsPropagations },
    seccomp: seccompSchema,
    sysctl: stringMap,
    maskedPaths: strings,
    readonlyPaths: strings,
    mountLabel: { type: 'string' },
    memoryPolicy: {
      type: 'object',
      // config-linux.md makes mode REQUIRED (the official schema does not say so); runc rejects "".
      required: ['mode'],
      properties: {
        mode: { type: 'string', enum: memoryPolicyModes },
        nodes: { type: 'string' },
        flags: {
          type: 'array',
          items: {
            type: 'string',
            enum: memoryPolicyFlags,
          },
        },
      },
    },
  },
} as const;

// ---- config.json ---------------------------------------------------------------------------

/** The version of the runtime-spec this schema describes; defaultSpec() writes it. */
export const OCI_VERSION = '1.3.0';

export const configSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'urn:orch:schema:oci-runtime-config:1.3',
  title: 'OCI runtime config.json (Linux), as orch accepts it',
  type: 'object',
  // root is REQUIRED on Linux (OPTIONAL only for Hyper-V containers on Windows).
  required: ['ociVersion', 'root'],
  properties: {
    // SemVer 2.0 of a 1.x runtime-spec: runc accepts anything here, crun refuses what it cannot read.
    ociVersion: { type: 'string', pattern: '^1\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$' },
    root: rootSchema,
    mounts: { type: 'array', items: mountSchema },
    process: processSchema,
    hostname: { type: 'string' },
    domainname: { type: 'string' },
    hooks: hooksSchema,
    annotations: stringMap,
    linux: linuxSchema,
  },
} as const;
