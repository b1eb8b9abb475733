import { makeEndpointSlice, makeService } from '@skiff/api/testing';
import { describe, expect, it } from 'vitest';
import { ClusterRecords } from './records.js';

const headless = makeService().name('db').namespace('default').clusterIP('None').obj();
const slice = (name: string, service: string, ...ips: string[]) => {
  const b = makeEndpointSlice().name(name).namespace('default').service(service);
  for (const ip of ips) b.endpoint(ip);
  return b.obj();
};

describe('ClusterRecords', () => {
  it('forgets a deleted service: its endpoints, its reverse records, its namespace', () => {
    const records = new ClusterRecords();
    records.setService(headless);
    records.setEndpointSlice(slice('db-1', 'db', '10.244.0.5'));
    expect(records.reverse('10.244.0.5')).toEqual(['10-244-0-5.db.default.svc']);
    records.deleteService('default', 'db');
    expect(records.service('default', 'db')).toBeUndefined();
    expect(records.readyEndpoints('default', 'db')).toEqual([]);
    expect(records.reverse('10.244.0.5')).toEqual([]);
    expect(records.hasNamespace('default')).toBe(false);
  });

  it('keeps endpoints that arrive before their service, and serves them once it exists', () => {
    const records = new ClusterRecords();
    records.setEndpointSlice(slice('db-1', 'db', '10.244.0.5'));
    expect(records.readyEndpoints('default', 'db')).toEqual([]);
    records.setService(headless);
    expect(records.readyEndpoints('default', 'db').map((e) => e.ip)).toEqual(['10.244.0.5']);
  });

  it('moves a slice relabelled to another service', () => {
    const records = new ClusterRecords();
    records.setService(headless);
    records.setService(makeService().name('cache').namespace('default').clusterIP('None').obj());
    records.setEndpointSlice(slice('s', 'db', '10.244.0.5'));
    records.setEndpointSlice(slice('s', 'cache', '10.244.0.5'));
    expect(records.readyEndpoints('default', 'db')).toEqual([]);
    expect(records.reverse('10.244.0.5')).toEqual(['10-244-0-5.cache.default.svc']);
  });

  it('keeps an address shared by two services until both let go of it', () => {
    const records = new ClusterRecords();
    records.setService(headless);
    records.setService(makeService().name('cache').namespace('default').clusterIP('None').obj());
    records.setEndpointSlice(slice('a', 'db', '10.244.0.5'));
    records.setEndpointSlice(slice('b', 'cache', '10.244.0.5'));
    records.deleteEndpointSlice('default', 'a');
    expect(records.reverse('10.244.0.5')).toEqual(['10-244-0-5.cache.default.svc']);
    records.deleteEndpointSlice('default', 'b');
    expect(records.reverse('10.244.0.5')).toEqual([]);
  });

  it('changes its serial with every change', () => {
    const records = new ClusterRecords();
    const before = records.serial();
    records.setService(headless);
    expect(records.serial()).toBeGreaterThan(before);
  });

  it('finds an IPv6 address however it is spelled', () => {
    const records = new ClusterRecords();
    records.setService(
      makeService().name('v6').namespace('default').clusterIP('fd00:0:0::a').obj(),
    );
    expect(records.reverse('fd00::a')).toEqual(['v6.default.svc']);
  });
});
