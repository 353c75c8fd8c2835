import type { Spec } from '../config/spec-types.js';
import type { RdtPlacement } from '../intelrdt/rdt-group.js';

/** OCI status values plus runc's "paused". */
export type ContainerStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

/** Which cgroup hierarchy a container's cgroup lives in, and where. */
export interface CgroupPlacement {
  version: 1 | 2;
  /** v1: controller name (as in /proc/self/cgroup, e.g. "cpu,cpuacct" or "name=systemd") -> absolute dir. v2: {"": dir}. */
  paths: Record<string, string>;
  /** --systemd-cgroup: the transient unit systemd made for the container */
  systemd?: { unit: string; slice: string; rootless: boolean };
  /** levels above the dirs that create made (a nested cgroupsPath): removed with them when empty */
  madeParents?: string[];
  /** linux.intelRdt: the container's resctrl group, removed with the cgroup */
  intelRdt?: RdtPlacement;
}

/** What orch persists in <root>/<id>/state.json. */
export interface ContainerRecord {
  ociVersion: string;
  id: string;
  /** host pid of the container init (pid 1 inside) */
  initPid: number;
  /** field 22 of /proc/<pid>/stat when the init started: detects pid reuse, as runc does */
  initStartTime: number;
  bundle: string;
  /** absolute host path of the rootfs */
  rootfs: string;
  /** ISO-8601 creation time */
  created: string;
  owner: string;
  annotations: Record<string, string>;
  cgroup: CgroupPlacement;
  /** /proc/<init>/ns/* paths are recomputed from the pid; this keeps the namespaces joined by path */
  config: Spec;
  /** create --no-new-keyring: exec'd processes keep the caller's session keyring too */
  noNewKeyring?: boolean;
}

/** The JSON `orch state` prints (OCI state plus runc's extra fields). */
export interface StateOutput {
  ociVersion: string;
  id: string;
  pid: number;
  status: ContainerStatus;
  bundle: string;
  rootfs: string;
  created: string;
  owner: string;
  annotations?: Record<string, string>;
}
