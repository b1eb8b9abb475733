// Test-only entry of @skiff/dns: `@skiff/dns/testing`. A DNS server on loopback to stand in for
// upstream resolvers, and a one-question DNS client that summarises answers as text.
export {
  startStaticDnsServer,
  type StaticDnsOptions,
  type StaticDnsServer,
} from './testing/static-dns-server.js';
export { ask, describeRecord, type Asked } from './testing/ask.js';
