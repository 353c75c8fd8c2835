import { execFileSync } from 'node:child_process';
import { OCI_VERSION, memoryPolicyFlags, memoryPolicyModes } from '../config/schema.js';
import { OrchError } from '../errors/orch-error.js';
import { helperPath } from '../bootstrap/helper-path.js';
import { NAMESPACES } from '../protocol/protocol.js';

// tools/build.mjs replaces this identifier with the git commit (esbuild `define`); unbundled, it is absent.
declare const ORCH_COMMIT: string | undefined;

/** runtime-spec's features document (features.md), as `runc features` prints it. */
export interface Features {
  ociVersionMin: string;
  ociVersionMax: string;
  hooks: string[];
  mountOptions: string[];
  linux: {
    namespaces: string[];
    capabilities: string[];
    cgroup: { v1: boolean; v2: boolean; systemd: boolean; systemdUser: boolean; rdma: boolean };
    seccomp: { enabled: boolean; actions: string[]; operators: string[]; archs: string[]; knownFlags: string[]; supportedFlags: string[] };
    apparmor: { enabled: boolean };
    selinux: { enabled: boolean };
    intelRdt: { enabled: boolean };
    mountExtensions: { idmap: { enabled: boolean } };
    netDevices: { enabled: boolean };
    memoryPolicy: { modes: string[]; flags: string[] };
  };
  annotations: Record<string, string>;
  /** annotations (a trailing "." marks a prefix) that change how orch sets a container up */
  potentiallyUnsafeConfigAnnotations: string[];
}

/** What `orch-init features` reports: the lists its own parsers accept on this host. */
interface HelperFeatures {
  libseccomp: string;
  capabilities: string[];
  mountOptions: string[];
  seccomp: { actions: string[]; operators: string[]; archs: string[]; knownFlags: string[]; supportedFlags: string[] };
}

/**
 * What this build of orch supports, true of it rather than copied from runc: the hook kinds it
 * runs, the namespaces its helper creates and joins, and (asked of the helper, whose parsers
 * decide) capabilities, mount options and the seccomp vocabulary. Not implemented here, and so
 * false: the rootless systemd driver.
 */
export function features(): Features {
  const helper = helperFeatures();
  const commit = typeof ORCH_COMMIT === 'string' && ORCH_COMMIT !== '' ? ORCH_COMMIT : 'unknown';
  return {
    ociVersionMin: '1.0.0',
    ociVersionMax: OCI_VERSION,
    hooks: ['prestart', 'createRuntime', 'createContainer', 'startContainer', 'poststart', 'poststop'],
    mountOptions: helper.mountOptions,
    linux: {
      namespaces: Object.keys(NAMESPACES).sort(),
      capabilities: helper.capabilities,
      cgroup: { v1: true, v2: true, systemd: true, systemdUser: false, rdma: true },
      seccomp: { enabled: true, ...helper.seccomp },
      apparmor: { enabled: true },
      selinux: { enabled: true },
      // this build places containers in resctrl groups (intelrdt/); the host may still lack resctrl
      intelRdt: { enabled: true },
      mountExtensions: { idmap: { enabled: helper.mountOptions.includes('idmap') } },
      // the helper moves them with rtnetlink (network/net_devices.c)
      netDevices: { enabled: true },
      // linux.memoryPolicy is set with set_mempolicy by the helper (process/memory_policy.c)
      memoryPolicy: { modes: [...memoryPolicyModes], flags: [...memoryPolicyFlags] },
    },
    annotations: {
      'io.github.seccomp.libseccomp.version': helper.libseccomp,
      'org.opencontainers.runc.checkpoint.enabled': 'true',
      'org.orch.commit': commit,
    },
    // as runc 1.4 lists its own: systemd unit properties (--systemd-cgroup) and criu's config file
    potentiallyUnsafeConfigAnnotations: ['org.systemd.property.', 'org.criu.config'],
  };
}

function helperFeatures(): HelperFeatures {
  const path = helperPath();
  try {
    return JSON.parse(execFileSync(path, ['features'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as HelperFeatures;
  } catch (err) {
    throw new OrchError('system', `${path} features: ${(err as Error).message}`, { cause: err });
  }
}
