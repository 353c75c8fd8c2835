// Types of a validated config.json, derived from config/schema.ts so the two cannot drift.
import type { FromSchema } from 'json-schema-to-ts';
import type { configSchema } from './schema.js';

/**
 * FromSchema gives every open object (the schema allows unknown properties, as runc does) a
 * `[x: string]: unknown` index signature, which turns Object.entries() into unknowns and hides
 * typos. Drop those, keeping real string maps (annotations, sysctl, unified) whose values are typed.
 */
type Closed<T> = T extends readonly (infer U)[]
  ? Closed<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? (unknown extends T[K] ? never : K) : K]: Closed<T[K]> }
    : T;

/** A config.json that passed the schema (unknown properties are still there at run time, untyped). */
export type Spec = Closed<FromSchema<typeof configSchema>>;

export type Root = Spec['root'];
export type Mount = NonNullable<Spec['mounts']>[number];
export type IdMapping = NonNullable<Linux['uidMappings']>[number];

export type Process = NonNullable<Spec['process']>;
export type User = Process['user'];
export type Capabilities = NonNullable<Process['capabilities']>;
export type CapabilitySet = keyof Capabilities;
export type Rlimit = NonNullable<Process['rlimits']>[number];
export type ConsoleSize = NonNullable<Process['consoleSize']>;
export type Scheduler = NonNullable<Process['scheduler']>;
export type IoPriority = NonNullable<Process['ioPriority']>;

export type Hooks = NonNullable<Spec['hooks']>;
export type HookName = keyof Hooks;
export type Hook = NonNullable<Hooks[HookName]>[number];

export type Linux = NonNullable<Spec['linux']>;
export type LinuxNamespace = NonNullable<Linux['namespaces']>[number];
export type NamespaceType = LinuxNamespace['type'];
export type TimeOffsets = NonNullable<Linux['timeOffsets']>;
export type LinuxDevice = NonNullable<Linux['devices']>[number];
/** linux.resources of the OCI spec: the limits `update` and create take. */
export type LinuxResources = NonNullable<Linux['resources']>;
export type LinuxDeviceCgroup = NonNullable<LinuxResources['devices']>[number];
export type LinuxMemory = NonNullable<LinuxResources['memory']>;
export type LinuxCpu = NonNullable<LinuxResources['cpu']>;
export type LinuxBlockIO = NonNullable<LinuxResources['blockIO']>;
export type LinuxPids = NonNullable<LinuxResources['pids']>;
export type LinuxHugepageLimit = NonNullable<LinuxResources['hugepageLimits']>[number];
export type LinuxNetwork = NonNullable<LinuxResources['network']>;
export type RootfsPropagation = NonNullable<Linux['rootfsPropagation']>;
export type Seccomp = NonNullable<Linux['seccomp']>;
export type SeccompAction = Seccomp['defaultAction'];
export type SeccompArch = NonNullable<Seccomp['architectures']>[number];
export type SeccompSyscall = NonNullable<Seccomp['syscalls']>[number];
export type SeccompArg = NonNullable<SeccompSyscall['args']>[number];
export type SeccompOperator = SeccompArg['op'];
export type IntelRdt = NonNullable<Linux['intelRdt']>;
export type Personality = NonNullable<Linux['personality']>;
export type MemoryPolicy = NonNullable<Linux['memoryPolicy']>;
