// Who sent a request, believing X-Forwarded-* headers only from configured proxies.
import net from 'node:net';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export class TrustedProxies {
  private readonly list = new net.BlockList();
  private readonly empty: boolean;

  /** Entries are IP addresses or CIDR ranges, IPv4 or IPv6. */
  constructor(entries: string[]) {
    this.empty = entries.length === 0;
    for (const entry of entries) {
      const [address = '', bits] = entry.split('/');
      const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
      if (!net.isIP(address)) throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`);
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(bits), type);
    }
  }

  trusts(address: string | undefined): boolean {
    if (this.empty || !address) return false;
    return this.list.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
  }
}

/** `::ffff:1.2.3.4` from a dual-stack socket is the IPv4 client 1.2.3.4. */
function socketAddress(raw: IncomingMessage): string | null {
  const address = raw.socket.remoteAddress;
  if (!address) return null;
  return address.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

function headerValue(raw: IncomingMessage, name: string): string | undefined {
  const value = raw.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The first X-Forwarded-For entry, with a `:port` after an IPv4 address removed. */
export function forwardedAddress(header: string): string | null {
  const first = (header.split(',')[0] ?? '').trim();
  if (net.isIP(first)) return first;
  const parts = first.split('.');
  if (parts.length === 4 && parts[3]?.includes(':')) {
    const withoutPort = first.slice(0, first.lastIndexOf(':'));
    if (net.isIPv4(withoutPort)) return withoutPort;
  }
  return null;
}

export interface ClientInfo {
  remoteAddr: string | null;
  scheme: string;
}

export function clientInfo(raw: IncomingMessage, proxies: TrustedProxies): ClientInfo {
  const peer = socketAddress(raw);
  const ownScheme = (raw.socket as TLSSocket).encrypted ? 'https' : 'http';
  if (!proxies.trusts(peer ?? undefined)) return { remoteAddr: peer, scheme: ownScheme };
  const forwardedFor = headerValue(raw, 'x-forwarded-for');
  const forwardedProto = headerValue(raw, 'x-forwarded-proto');
  return {
    remoteAddr: forwardedFor === undefined ? peer : forwardedAddress(forwardedFor),
    scheme: forwardedProto ? forwardedProto.trim().slice(0, 10) : ownScheme,
  };
}
