/**
 * The one canonical form of a sysctl key, shared with the helper: the path of its file under
 * /proc/sys ("net/ipv4/conf/eth0.100/rp_filter"). The namespace check and the write both use that
 * form, so what is checked is what is written. The rules (separators, components, characters and
 * the namespaced keys) come from shared/protocol.json.
 */
import { SYSCTL_COMPONENT, SYSCTL_RULES, type NamespaceType } from '../protocol/protocol.js';

export type SysctlKey =
  | { ok: true; path: string; dotted: string }
  | { ok: false; reason: string };

/**
 * sysctl.d(5) and runc: a key is dotted ("net.ipv4.conf.eth0/100.rp_filter", "/" standing for a
 * "." inside a name) unless its first separator is "/", when it is already a path. Every component
 * must be non-empty, neither "." nor "..", and made of the characters kernel sysctl and network
 * device names use: nothing can climb out of the directory the key names.
 */
export function canonicalSysctlKey(key: string): SysctlKey {
  const first = key.search(/[./]/);
  const isPath = first !== -1 && key[first] === '/';
  const components = isPath ? key.split('/') : key.split('.').map((part) => part.replaceAll('/', '.'));
  for (const component of components) {
    if (component === '') return { ok: false, reason: 'has an empty component' };
    if (component === '.' || component === '..') return { ok: false, reason: `has a ${JSON.stringify(component)} component` };
    if (!SYSCTL_COMPONENT.test(component)) return { ok: false, reason: `has a character a sysctl name cannot hold in ${JSON.stringify(component)}` };
  }
  return {
    ok: true,
    path: components.join('/'),
    dotted: components.map((part) => part.replaceAll('.', '/')).join('.'),
  };
}

/** The namespace a canonical key belongs to, or undefined when it is a host-wide one. */
export function sysctlNamespace(path: string): NamespaceType | undefined {
  for (const rule of SYSCTL_RULES) {
    if (rule.prefix ? path.startsWith(rule.path) : path === rule.path) return rule.namespace;
  }
  return undefined;
}
