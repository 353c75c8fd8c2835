/**
 * Encodes runc's bootstrap format: one netlink message (struct nlmsghdr) whose payload is a list
 * of netlink attributes (struct nlattr), each padded to 4 bytes. The helper parses it in C with a
 * bounds check on every length, so the format stays as simple as netlink itself.
 */
export type AttrValue =
  | { kind: 'u32'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'bytes'; value: string };

export interface Attr {
  type: number;
  value: AttrValue;
}

const NLMSG_HDRLEN = 16;
const NLA_HDRLEN = 4;
const align4 = (n: number): number => (n + 3) & ~3;

function payload(value: AttrValue): Buffer {
  switch (value.kind) {
    case 'u32': {
      const buf = Buffer.alloc(4);
      buf.writeUInt32LE(value.value >>> 0); // host byte order: x86_64 and arm64 are little-endian
      return buf;
    }
    case 'bool':
      return Buffer.from([value.value ? 1 : 0]);
    case 'string':
    case 'bytes':
      // NUL-terminated, as runc's Bytemsg, so C can use the value in place.
      return Buffer.concat([Buffer.from(value.value, 'utf8'), Buffer.from([0])]);
  }
}

export function encodeNetlinkMessage(messageType: number, attrs: readonly Attr[]): Buffer {
  const parts: Buffer[] = [];
  let length = NLMSG_HDRLEN;
  for (const attr of attrs) {
    const data = payload(attr.value);
    const attrLength = NLA_HDRLEN + data.length;
    if (attrLength > 0xffff) throw new RangeError(`bootstrap attribute ${attr.type} is too long (${attrLength} bytes)`);
    const buf = Buffer.alloc(align4(attrLength));
    buf.writeUInt16LE(attrLength, 0);
    buf.writeUInt16LE(attr.type, 2);
    data.copy(buf, NLA_HDRLEN);
    parts.push(buf);
    length += buf.length;
  }
  const header = Buffer.alloc(NLMSG_HDRLEN);
  header.writeUInt32LE(length, 0);
  header.writeUInt16LE(messageType, 4);
  header.writeUInt16LE(0, 6); // flags
  header.writeUInt32LE(0, 8); // seq
  header.writeUInt32LE(0, 12); // pid
  return Buffer.concat([header, ...parts]);
}
