import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** A webhook URL or address this deployment will not send to. */
export class WebhookTargetRefused extends Error {}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Loopback, private, link-local, shared, reserved and multicast ranges. Two lists, because one
 * BlockList also matches IPv4 addresses against IPv6 rules (as IPv4-mapped addresses).
 */
const NOT_PUBLIC_V4 = new BlockList();
const NOT_PUBLIC_V6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC_V4.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  // IPv4-mapped and NAT64 addresses reach IPv4 hosts: refused rather than judged twice.
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC_V6.addSubnet(network, prefix, 'ipv6');
}

function isPublic(address: string, family: 4 | 6): boolean {
  return family === 4 ? !NOT_PUBLIC_V4.check(address, 'ipv4') : !NOT_PUBLIC_V6.check(address, 'ipv6');
}

/**
 * Decides where a webhook may be sent (SSRF defence): https only, and only to public addresses —
 * unless `allowPrivate` (development and tests). A host name is judged by every address it
 * resolves to, at subscription and again before each delivery, and the delivery connects to the
 * addresses judged here, so a name re-pointed at an internal address (DNS rebinding) is refused.
 */
export class WebhookTargetPolicy {
  constructor(
    private readonly allowPrivate: boolean,
    private readonly resolve: (hostname: string) => Promise<ResolvedAddress[]> = async (hostname) =>
      (await lookup(hostname, { all: true, verbatim: true })) as ResolvedAddress[],
  ) {}

  async addressesFor(url: string): Promise<{ target: URL; addresses: ResolvedAddress[] }> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new WebhookTargetRefused('the webhook URL is not a valid URL');
    }
    const allowed = this.allowPrivate ? ['https:', 'http:'] : ['https:'];
    if (!allowed.includes(target.protocol)) throw new WebhookTargetRefused(`webhook URLs must use ${allowed.join(' or ')}`);
    if (target.username || target.password) throw new WebhookTargetRefused('webhook URLs must not carry credentials');
    const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
    const literal = isIP(hostname);
    let addresses: ResolvedAddress[];
    if (literal) {
      addresses = [{ address: hostname, family: literal as 4 | 6 }];
    } else {
      try {
        addresses = await this.resolve(hostname);
      } catch (error) {
        throw new WebhookTargetRefused(
          `the webhook host ${hostname} does not resolve (${(error as { code?: string }).code ?? 'lookup failed'})`,
        );
      }
      if (!addresses.length) throw new WebhookTargetRefused(`the webhook host ${hostname} does not resolve`);
    }
    if (!this.allowPrivate) {
      const refused = addresses.find(({ address, family }) => !isPublic(address, family));
      if (refused)
        throw new WebhookTargetRefused(
          `the webhook host ${hostname} is a loopback, private, link-local or reserved address (${refused.address})`,
        );
    }
    return { target, addresses };
  }
}
