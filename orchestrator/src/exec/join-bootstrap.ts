import { ATTR, INIT_MSG, NAMESPACES, type NamespaceType } from '../protocol/protocol.js';
import { encodeNetlinkMessage, type Attr } from '../bootstrap/netlink-message.js';
import type { ContainerRecord } from '../state/container-record.js';

/**
 * The bootstrap message for `orch-init setns`: create nothing, join every namespace the container
 * has through its init's /proc/<pid>/ns entries (the namespaces it joined by path at create too:
 * the init is in them), user first as the helper orders them. oom_score_adj is the container's,
 * as runc gives it to exec'd processes.
 */
export function joinBootstrap(record: ContainerRecord, options: { rootlessEuid: boolean }): Buffer {
  const joins: string[] = [];
  for (const ns of record.config.linux?.namespaces ?? []) {
    const { proc } = NAMESPACES[ns.type as NamespaceType];
    joins.push(`${proc}:/proc/${record.initPid}/ns/${proc}`);
  }
  const attrs: Attr[] = [{ type: ATTR.cloneFlags, value: { kind: 'u32', value: 0 } }];
  // one attribute per namespace: a path may hold any byte but NUL, so no separator is safe
  for (const join of joins) attrs.push({ type: ATTR.nsPath, value: { kind: 'string', value: join } });
  const oomScoreAdj = record.config.process?.oomScoreAdj;
  if (oomScoreAdj !== undefined) attrs.push({ type: ATTR.oomScoreAdj, value: { kind: 'bytes', value: String(oomScoreAdj) } });
  if (options.rootlessEuid) attrs.push({ type: ATTR.rootlessEuid, value: { kind: 'bool', value: true } });
  return encodeNetlinkMessage(INIT_MSG, attrs);
}
