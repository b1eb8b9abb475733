// The "upstream" resolver of the lab's tests: the dns package's static server on port 53 of the
// control plane VM's loopback (run there with nsenter), answering `name=ip` pairs given as
// arguments. Cluster DNS forwards every name outside the cluster to it, and the traffic never
// leaves the lab's namespaces.
import { startStaticDnsServer } from '@skiff/dns/testing';

const records = Object.fromEntries(
  process.argv.slice(2).map((pair) => {
    const [name = '', ip = ''] = pair.split('=');
    return [name.toLowerCase(), [ip]];
  }),
);
const server = await startStaticDnsServer({ records, port: 53 });
process.stdout.write(`listening on ${server.host}:${server.port}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
