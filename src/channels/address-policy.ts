// Which IP addresses outbound integration requests may connect to. A channel's URL is written by a
// user, so without this guard a webhook could reach the instance's own loopback services, the
// private network or a cloud metadata endpoint (SSRF).
import { isIP } from 'node:net';

/** Decides whether a connection to this resolved address is allowed. */
export type AddressPolicy = (address: string) => boolean;

interface Range {
  bytes: number[];
  bits: number;
}

function range(address: string, bits: number): Range {
  const bytes = parseAddress(address);
  if (bytes === null) throw new Error(`bad range ${address}`);
  return { bytes, bits };
}

// Not globally reachable (IANA special-purpose registries), in the spirit of Python's
// ipaddress.is_global, which Healthchecks relies on.
const BLOCKED_V4: Range[] = [
  range('0.0.0.0', 8), // "this network", includes the unspecified address
  range('10.0.0.0', 8), // RFC 1918
  range('100.64.0.0', 10), // carrier-grade NAT
  range('127.0.0.0', 8), // loopback
  range('169.254.0.0', 16), // link-local, includes the 169.254.169.254 metadata service
  range('172.16.0.0', 12), // RFC 1918
  range('192.0.0.0', 24), // IETF protocol assignments
  range('192.0.2.0', 24), // documentation
  range('192.168.0.0', 16), // RFC 1918
  range('198.18.0.0', 15), // benchmarking
  range('198.51.100.0', 24), // documentation
  range('203.0.113.0', 24), // documentation
  range('224.0.0.0', 4), // multicast
  range('240.0.0.0', 4), // reserved, includes broadcast
];

const BLOCKED_V6: Range[] = [
  range('::', 128), // unspecified
  range('::1', 128), // loopback
  range('64:ff9b:1::', 48), // local-use NAT64
  range('100::', 64), // discard-only
  range('2001:db8::', 32), // documentation
  range('fd00:ec2::254', 128), // AWS metadata service (inside fc00::/7, named for clarity)
  range('fc00::', 7), // unique local
  range('fe80::', 10), // link-local
  range('fec0::', 10), // deprecated site-local
  range('ff00::', 8), // multicast
];

/** IPv6 prefixes whose addresses carry an IPv4 address that decides instead. */
const EMBEDDED_V4: { prefix: Range; offset: number }[] = [
  { prefix: range('::ffff:0:0', 96), offset: 12 }, // IPv4-mapped
  { prefix: range('::', 96), offset: 12 }, // IPv4-compatible (deprecated)
  { prefix: range('64:ff9b::', 96), offset: 12 }, // NAT64
  { prefix: range('2002::', 16), offset: 2 }, // 6to4
];

function inRange(bytes: number[], { bytes: prefix, bits }: Range): boolean {
  if (bytes.length !== prefix.length) return false;
  for (let i = 0; i < bits; i += 8) {
    const mask = bits - i >= 8 ? 0xff : (0xff << (8 - (bits - i))) & 0xff;
    if (((bytes[i / 8] as number) & mask) !== ((prefix[i / 8] as number) & mask)) return false;
  }
  return true;
}

function parseV4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

function parseV6(text: string): number[] | null {
  let body = text.split('%')[0] as string; // drop a zone id (fe80::1%eth0)
  // A trailing dotted quad (::ffff:1.2.3.4) stands for the last two groups.
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    const v4 = parseV4(body.slice(lastColon + 1));
    if (v4 === null) return null;
    const [a, b, c, d] = v4 as [number, number, number, number];
    body = `${body.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0] as string);
  const right = halves.length === 2 ? groups(halves[1] as string) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const bytes: number[] = [];
  for (const group of [...left, ...Array<string>(missing).fill('0'), ...right]) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    const value = parseInt(group, 16);
    bytes.push(value >> 8, value & 0xff);
  }
  return bytes;
}

/** The address as 4 or 16 bytes, or null when it is not an IP address. */
export function parseAddress(address: string): number[] | null {
  const text = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  if (isIP(text.split('%')[0] as string) === 4) return parseV4(text);
  if (isIP(text.split('%')[0] as string) === 6) return parseV6(text);
  return null;
}

function isPublicBytes(bytes: number[]): boolean {
  if (bytes.length === 4) return !BLOCKED_V4.some((r) => inRange(bytes, r));
  for (const { prefix, offset } of EMBEDDED_V4) {
    // "::" and "::1" sit inside the IPv4-compatible prefix but are IPv6's own special addresses.
    if (inRange(bytes, prefix) && !BLOCKED_V6.slice(0, 2).some((r) => inRange(bytes, r))) {
      return isPublicBytes(bytes.slice(offset, offset + 4));
    }
  }
  return !BLOCKED_V6.some((r) => inRange(bytes, r));
}

/** True for globally reachable unicast addresses; false for anything else, including non-IPs. */
export const isPublicAddress: AddressPolicy = (address) => {
  const bytes = parseAddress(address);
  return bytes !== null && isPublicBytes(bytes);
};
