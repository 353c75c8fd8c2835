import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { makeRootfs } from '../support/bundle.js';
import type { Result } from '../support/orch-cli.js';

/** Helpers for the tests that run orch under its real clients (podman + conmon, containerd + ctr). */

/** The path of an executable on $PATH (or in the sbin dirs, which a non-login PATH may lack). */
export function which(name: string): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/local/sbin', '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Why a client test cannot run here (root, busybox and each of `binaries` are needed), or undefined. */
export function missingFor(binaries: string[]): string | undefined {
  if (process.geteuid?.() !== 0) return 'needs root';
  if (!existsSync('/bin/busybox')) return 'needs /bin/busybox (busybox-static) for the image';
  const missing = binaries.filter((b) => which(b) === undefined);
  return missing.length > 0 ? `${missing.join(', ')} not installed (tools/setup.sh installs them)` : undefined;
}

/**
 * Runs a client command to completion. Output goes to files, not pipes: conmon and the shims
 * daemonize and keep what they inherited, which would hold a pipe (and the call) open.
 */
export function runClient(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string; timeout?: number } = {}): Result {
  const dir = mkdtempSync(join(tmpdir(), 'orch-client-out-'));
  const out = openSync(join(dir, 'stdout'), 'w');
  const err = openSync(join(dir, 'stderr'), 'w');
  try {
    const result = spawnSync(cmd, args, {
      env: options.env ?? process.env,
      input: options.input,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', out, err],
      timeout: options.timeout ?? 60_000,
    });
    if (result.error) throw new Error(`${cmd} ${args.join(' ')}: ${result.error.message}`);
    return { status: result.status, signal: result.signal, stdout: readFileSync(join(dir, 'stdout'), 'utf8'), stderr: readFileSync(join(dir, 'stderr'), 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The image's one layer: a tar of a busybox rootfs (test/support/bundle.ts), owned by root. */
export function busyboxLayer(dir: string): string {
  const rootfs = join(dir, 'layer-rootfs');
  makeRootfs(rootfs);
  const tar = join(dir, 'busybox-layer.tar');
  execFileSync('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-cf', tar, '.']);
  rmSync(rootfs, { recursive: true });
  return tar;
}

/**
 * An OCI image archive (oci-layout, index.json, blobs/sha256) of one uncompressed layer, made by
 * hand as no registry is reachable. `ref` is the name `ctr image import` gives it (the
 * io.containerd.image.name annotation).
 */
export function ociArchive(dir: string, layerTar: string, ref: string): string {
  const layout = join(dir, 'oci-layout-dir');
  const blobs = join(layout, 'blobs/sha256');
  mkdirSync(blobs, { recursive: true });
  const addBlob = (path: string): { digest: string; size: number } => {
    const data = readFileSync(path);
    const hex = createHash('sha256').update(data).digest('hex');
    renameSync(path, join(blobs, hex));
    return { digest: `sha256:${hex}`, size: data.length };
  };
  const addJson = (value: unknown): { digest: string; size: number } => {
    const path = join(dir, 'blob.json');
    writeFileSync(path, JSON.stringify(value));
    return addBlob(path);
  };
  const copy = join(dir, 'layer.tar');
  writeFileSync(copy, readFileSync(layerTar));
  const layer = addBlob(copy);
  const config = addJson({
    architecture: goArch(),
    os: 'linux',
    config: { Env: ['PATH=/bin'], Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [layer.digest] },
  });
  const manifest = addJson({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', ...layer }],
  });
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'io.containerd.image.name': ref, 'org.opencontainers.image.ref.name': ref.split(':').pop() } }],
    }),
  );
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const archive = join(dir, 'image.oci.tar');
  execFileSync('tar', ['-C', layout, '-cf', archive, '.']);
  rmSync(layout, { recursive: true });
  return archive;
}

function goArch(): string {
  return ({ x64: 'amd64', arm64: 'arm64', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}

/** Mount points at or under dir, deepest first (from /proc/self/mountinfo; octal escapes kept as is). */
export function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

/** Removes a client's scratch dir: first whatever it left mounted there (lazily), then the files. */
export function removeScratch(dir: string): void {
  for (const m of mountsUnder(dir)) spawnSync('umount', ['-l', m]);
  rmSync(dir, { recursive: true, force: true });
}

/** Where a top-level cgroup named `name` lives in each mounted hierarchy (v1: one per controller dir). */
export function cgroupDirs(name: string): string[] {
  if (statfsSync('/sys/fs/cgroup').type === 0x63677270) return [join('/sys/fs/cgroup', name)];
  return readdirSync('/sys/fs/cgroup', { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join('/sys/fs/cgroup', e.name, name));
}

/** The cgroup dirs named `name` that exist now. */
export function existingCgroups(name: string): string[] {
  return cgroupDirs(name).filter((d) => existsSync(d));
}

/** Removes the cgroup `name` and its sub-cgroups in every hierarchy (they must be empty of tasks). */
export async function removeCgroups(name: string): Promise<void> {
  const removeTree = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) removeTree(join(dir, e.name));
    rmdirSync(dir);
  };
  for (const dir of existingCgroups(name)) {
    // a process that was just killed may take a moment to leave its cgroup
    for (let attempt = 0; ; attempt++) {
      try {
        removeTree(dir);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EBUSY' || attempt >= 20) throw new Error(`remove cgroup ${dir}: ${(err as Error).message}`);
        await sleep(100);
      }
    }
  }
}

/**
 * Paths a client creates outside the dirs it is given (containerd's shim socket dir, podman's
 * blob-info cache): the ones absent now are removed by the returned function, so that the test
 * leaves the host as it found it. Paths that existed stay.
 */
export function removeIfCreated(paths: string[]): () => void {
  const absent = paths.filter((p) => !existsSync(p));
  return () => {
    for (const p of absent) rmSync(p, { recursive: true, force: true });
  };
}

/** Polls `check` until it returns a value other than undefined; fails with `what` after timeoutMs. */
export async function eventually<T>(what: string, check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** A podman of its own: configuration, storage, run dir and locks in `scratch`, never the host's. */
export interface PodmanStore {
  env: NodeJS.ProcessEnv;
  /** podman's global flags for this store and orch as its runtime */
  flags: string[];
  cgroupManager: 'cgroupfs' | 'systemd';
}

export function podmanStore(scratch: string, runtime: string, cgroupManager: 'cgroupfs' | 'systemd'): PodmanStore {
  const env = {
    ...process.env,
    CONTAINERS_CONF: join(scratch, 'containers.conf'),
    CONTAINERS_STORAGE_CONF: join(scratch, 'storage.conf'),
    CONTAINERS_REGISTRIES_CONF: join(scratch, 'registries.conf'),
  };
  const flags = ['--root', join(scratch, 'storage'), '--runroot', join(scratch, 'run'), '--tmpdir', join(scratch, 'libpod'), '--cgroup-manager', cgroupManager, '--events-backend', 'file', '--runtime', runtime];
  return { env, flags, cgroupManager };
}

/**
 * Writes the store's configuration and imports a busybox image as `image` (no registry here).
 * extraContainers: more [containers] lines (e.g. a log driver).
 */
export function preparePodmanStore(scratch: string, store: PodmanStore, image: string, extraContainers: string[] = []): void {
  writeFileSync(
    store.env['CONTAINERS_CONF'] ?? '',
    [
      '[containers]',
      'netns = "none"',
      ...extraContainers,
      // podman raises RLIMIT_NOFILE and RLIMIT_NPROC for root beyond the hard limits, which needs
      // CAP_SYS_RESOURCE (runc and crun fail the same way where it is missing); lowering never does
      'default_ulimits = ["nofile=4096:4096", "nproc=16384:16384"]',
      '[engine]',
      `cgroup_manager = "${store.cgroupManager}"`,
      'events_logger = "file"',
      // file locks in --tmpdir, not the host-wide /dev/shm/libpod_lock
      'lock_type = "file"',
      '[network]',
      `network_config_dir = "${join(scratch, 'networks')}"`,
      '',
    ].join('\n'),
  );
  // overlay needs a lower filesystem other than overlayfs
  const driver = statfsSync(scratch).type === 0x794c7630 ? 'vfs' : 'overlay';
  writeFileSync(store.env['CONTAINERS_STORAGE_CONF'] ?? '', `[storage]\ndriver = "${driver}"\ngraphroot = "${join(scratch, 'storage')}"\nrunroot = "${join(scratch, 'run')}"\n`);
  writeFileSync(store.env['CONTAINERS_REGISTRIES_CONF'] ?? '', 'unqualified-search-registries = []\n');
  mkdirSync(join(scratch, 'networks'));
  const imported = runClient('podman', [...store.flags, 'import', '--quiet', busyboxLayer(scratch), image], { env: store.env });
  if (imported.status !== 0) throw new Error(`podman import: ${imported.stderr}`);
}
