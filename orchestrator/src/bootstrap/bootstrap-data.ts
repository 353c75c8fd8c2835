import { ATTR, INIT_MSG, NAMESPACES, type NamespaceType } from '../protocol/protocol.js';
import type { Spec } from '../config/spec-types.js';
import { encodeNetlinkMessage, type Attr } from './netlink-message.js';
import { findIdMapTool, needsMappingTool } from './id-map-tools.js';

interface IdMapping {
  containerID: number;
  hostID: number;
  size: number;
}

const mapText = (mappings: readonly IdMapping[]): string =>
  mappings.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('');

/**
 * Turns the namespace part of a config into the bootstrap message the helper's nsexec stages read:
 * which namespaces to create (clone flags), which to join (paths), the id maps for a new user
 * namespace, oom_score_adj (written before the user namespace, where it could no longer be lowered)
 * and time namespace offsets.
 */
export function bootstrapData(spec: Spec, options: { rootlessEuid: boolean }): Buffer {
  const linux = spec.linux ?? {};
  let cloneFlags = 0;
  const joins: string[] = [];
  for (const ns of linux.namespaces ?? []) {
    const kind = NAMESPACES[ns.type as NamespaceType];
    if (ns.path) joins.push(`${kind.proc}:${ns.path}`);
    else cloneFlags |= kind.flag;
  }

  const attrs: Attr[] = [{ type: ATTR.cloneFlags, value: { kind: 'u32', value: cloneFlags } }];
  // one attribute per namespace: a path may hold any byte but NUL, so no separator is safe
  for (const join of joins) attrs.push({ type: ATTR.nsPath, value: { kind: 'string', value: join } });

  if (cloneFlags & NAMESPACES.user.flag) {
    const uidMappings = linux.uidMappings ?? [];
    const gidMappings = linux.gidMappings ?? [];
    if (uidMappings.length > 0) attrs.push({ type: ATTR.uidMap, value: { kind: 'bytes', value: mapText(uidMappings) } });
    if (gidMappings.length > 0) attrs.push({ type: ATTR.gidMap, value: { kind: 'bytes', value: mapText(gidMappings) } });
    // An unprivileged writer may only map its own gid after denying setgroups (user_namespaces(7));
    // a wider map goes through newgidmap, which needs setgroups left allowed (as runc).
    const tool = options.rootlessEuid && needsMappingTool(gidMappings, process.getegid?.() ?? 0);
    attrs.push({ type: ATTR.setgroups, value: { kind: 'bool', value: !options.rootlessEuid || tool } });
    if (options.rootlessEuid) {
      // Tried only when writing the map directly is refused (EPERM), as runc's nsexec does.
      const newuidmap = findIdMapTool('newuidmap');
      const newgidmap = findIdMapTool('newgidmap');
      if (newuidmap) attrs.push({ type: ATTR.uidMapPath, value: { kind: 'string', value: newuidmap } });
      if (newgidmap) attrs.push({ type: ATTR.gidMapPath, value: { kind: 'string', value: newgidmap } });
    }
  }

  const oomScoreAdj = spec.process?.oomScoreAdj;
  if (oomScoreAdj !== undefined) attrs.push({ type: ATTR.oomScoreAdj, value: { kind: 'bytes', value: String(oomScoreAdj) } });
  if (options.rootlessEuid) attrs.push({ type: ATTR.rootlessEuid, value: { kind: 'bool', value: true } });

  const offsets = linux.timeOffsets;
  if ((cloneFlags & NAMESPACES.time.flag) && offsets) {
    const text = Object.entries(offsets)
      .map(([clock, o]) => `${clock} ${o.secs ?? 0} ${o.nanosecs ?? 0}\n`)
      .join('');
    if (text) attrs.push({ type: ATTR.timeOffsets, value: { kind: 'bytes', value: text } });
  }

  return encodeNetlinkMessage(INIT_MSG, attrs);
}
