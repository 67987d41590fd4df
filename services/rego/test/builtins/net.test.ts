import { BuiltinError } from '../../errors';
import { ObjectValue, SetValue } from '../../value';
import { context, invoke, invokeJSON } from './invoke';

describe('net', () => {
  test('cidr_contains takes an address or a whole network, IPv4 and IPv6', () => {
    expect(invoke('net.cidr_contains', ['10.0.0.0/8', '10.1.2.3'])).toBe(true);
    expect(invoke('net.cidr_contains', ['10.0.0.0/8', '11.0.0.0'])).toBe(false);
    expect(invoke('net.cidr_contains', ['172.17.0.0/24', '172.17.0.0/16'])).toBe(false);
    expect(invoke('net.cidr_contains', ['2001:db8::/32', '2001:db8:1234::1'])).toBe(true);
    expect(invoke('net.cidr_contains', ['2001:db8::/32', '2001:db9::/48'])).toBe(false);
    expect(invoke('net.cidr_contains', ['0.0.0.0/0', '255.255.255.255'])).toBe(true);
  });

  test('IPv4-mapped IPv6 addresses count as IPv4; plain IPv6 is never inside an IPv4 network', () => {
    expect(invoke('net.cidr_contains', ['192.168.0.0/16', '::ffff:192.168.1.1'])).toBe(true);
    expect(invoke('net.cidr_contains', ['192.168.0.0/16', '::1'])).toBe(false);
  });

  test('an IPv6 network contains no IPv4 address (Go compares address lengths), unless written IPv4-mapped', () => {
    expect(invoke('net.cidr_contains', ['::/0', '1.2.3.4'])).toBe(false);
    expect(invoke('net.cidr_contains', ['::/0', '::ffff:1.2.3.4'])).toBe(false);
    expect(invoke('net.cidr_contains', ['::/0', '10.0.0.0/8'])).toBe(false);
    expect(invoke('net.cidr_contains', ['::/0', '2001:db8::1'])).toBe(true);
    expect(invoke('net.cidr_contains', ['::ffff:10.0.0.0/104', '10.1.2.3'])).toBe(true);
    expect(invoke('net.cidr_contains', ['::ffff:0:0/96', '1.2.3.4'])).toBe(true);
    expect(invoke('net.cidr_intersects', ['::/0', '10.0.0.0/8'])).toBe(false);
  });

  test('malformed input is an error with Go wording; leading zeros are not octal', () => {
    expect(() => invoke('net.cidr_contains', ['not-a-cidr', '1.2.3.4'])).toThrow('invalid CIDR address: not-a-cidr');
    expect(() => invoke('net.cidr_contains', ['10.0.0.0/8', 'nope'])).toThrow(
      'not a valid textual representation of an IP address or CIDR: nope',
    );
    expect(invoke('net.cidr_is_valid', ['010.0.0.0/8'])).toBe(false);
    expect(invoke('net.cidr_is_valid', ['10.0.0.0/33'])).toBe(false);
    expect(invoke('net.cidr_is_valid', ['fe80::/129'])).toBe(false);
    expect(invoke('net.cidr_is_valid', ['fe80::1%eth0/64'])).toBe(false);
    expect(invoke('net.cidr_is_valid', [''])).toBe(false);
    expect(invoke('net.cidr_is_valid', ['2002::1234:abcd:ffff:c0a8:101/64'])).toBe(true);
  });

  test('cidr_intersects', () => {
    expect(invoke('net.cidr_intersects', ['192.168.1.0/25', '192.168.1.64/26'])).toBe(true);
    expect(invoke('net.cidr_intersects', ['192.168.1.0/25', '192.168.1.128/25'])).toBe(false);
    expect(invoke('net.cidr_intersects', ['fd00::/8', 'fd12::/16'])).toBe(true);
  });

  test('cidr_expand lists every address in canonical form, and refuses huge ranges', () => {
    expect(invokeJSON('net.cidr_expand', ['192.168.1.1/30'])).toEqual(['192.168.1.0', '192.168.1.1', '192.168.1.2', '192.168.1.3']);
    expect(invokeJSON('net.cidr_expand', ['2001:db8::/127'])).toEqual(['2001:db8::', '2001:db8::1']);
    expect(() => invoke('net.cidr_expand', ['::/0'])).toThrow(BuiltinError);
  });

  test('cidr_merge merges adjacent and nested networks, keeps families apart, needs IPv6 prefixes', () => {
    expect(invokeJSON('net.cidr_merge', [['192.0.128.0/24', '192.0.129.0/24']])).toEqual(['192.0.128.0/23']);
    expect(invokeJSON('net.cidr_merge', [SetValue.of(['10.0.0.0/8', '10.1.0.0/16', 'fe80::/64', 'fe80::/10'])])).toEqual([
      '10.0.0.0/8',
      'fe80::/10',
    ]);
    expect(invokeJSON('net.cidr_merge', [['192.0.2.112/31', '192.0.2.116/31', '192.0.2.118/31']])).toEqual([
      '192.0.2.112/31',
      '192.0.2.116/30',
    ]);
    expect(invokeJSON('net.cidr_merge', [[]])).toEqual([]);
    expect(() => invoke('net.cidr_merge', [['2001:db8::1']])).toThrow('IPv6 invalid: needs prefix length');
    expect(() => invoke('net.cidr_merge', [[1]])).toThrow('element must be string');
  });

  test('cidr_contains_matches reports index or key pairs', () => {
    expect(invokeJSON('net.cidr_contains_matches', [['1.1.2.0/24', '1.1.1.0/24'], ['1.1.1.1', '1.1.2.1']])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    const cidrs = ObjectValue.fromEntries([['office', ['10.0.0.0/8', 'tag']]]);
    expect(invokeJSON('net.cidr_contains_matches', [cidrs, '10.9.9.9'])).toEqual([['office', '10.9.9.9']]);
    expect(() => invoke('net.cidr_contains_matches', [['1.1.1.0/24'], [[]]])).toThrow(
      'operand 2: element must be string or non-empty array',
    );
  });

  test('lookup_ip_addr answers literals and localhost, and resolves other names only when the host enables it', () => {
    expect(invokeJSON('net.lookup_ip_addr', ['::1'])).toEqual(['::1']);
    expect(invokeJSON('net.lookup_ip_addr', ['LocalHost'])).toEqual(['127.0.0.1', '::1']);
    expect(() => invoke('net.lookup_ip_addr', ['example.com'])).toThrow('disabled');
    const enabled = context({ capabilities: { netLookupEnabled: true } });
    expect(() => invoke('net.lookup_ip_addr', ['no-such-host.invalid'], enabled)).toThrow();
  });
});
