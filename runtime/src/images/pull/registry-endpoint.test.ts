import { describe, expect, it } from 'vitest';
import { registryEndpoint } from './registry-endpoint.js';

describe('registryEndpoint', () => {
  it.each([
    ['docker.io', [], 'https://registry-1.docker.io'],
    ['quay.io', [], 'https://quay.io'],
    ['registry.example.com:5000', [], 'https://registry.example.com:5000'],
    ['localhost:5000', [], 'http://localhost:5000'],
    ['localhost', [], 'http://localhost'],
    ['127.0.0.1:5000', [], 'http://127.0.0.1:5000'],
    ['127.45.6.7', [], 'http://127.45.6.7'],
    ['[::1]:5000', [], 'http://[::1]:5000'],
    ['128.0.0.1:5000', [], 'https://128.0.0.1:5000'],
    ['lab.internal:5000', ['lab.internal:5000'], 'http://lab.internal:5000'],
    ['lab.internal:5000', ['lab.internal'], 'http://lab.internal:5000'],
    ['lab.internal:5000', ['lab.internal:6000'], 'https://lab.internal:5000'],
  ])('reaches %s (insecure: %j) at %s', (domain, insecure, baseUrl) => {
    expect(registryEndpoint(domain, insecure).baseUrl).toBe(baseUrl);
  });
});
